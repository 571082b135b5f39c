"""A peer that behaves on the wire like a service of the Python package service_framework 0.0.3.

Written for the e2e tests from SPEC §4/§5 and the seed README (not the package's code): msgpack
with the seed's markers, uuid.UUID objects as workflow ids, reply envelopes that echo the
request's id as received, topics as msgpack(topic) + msgpack(payload) in one frame, binding sides
on tcp://*:port, the seed's socket names, and the 0.0.3 state types.

    peer_003.py --addresses FILE --models JSON [--main]

--addresses is a seed addresses file; --models the seed's models, by side and name:
{"connections": {"in"|"out": {name: {"connection_type": ..., "optional_creation_arguments":
{"topic": ...}, "forward": {"to": out_name, "type": "connection"|"state", "times": n}}}},
"states": {"in"|"out": {name: {"state_type": ...}}}}. An in connection's handler returns its args
(a replyer's reply) after calling to_send(type, forward.to, args) `times` times, as a seed handler.

Commands come as JSON lines on stdin (marker maps in them become Decimal/set/UUID, as the seed
decodes): {"op": "send", "type": "connection"|"state", "name": ..., "args": {...}} calls the
seed's to_send of main mode with --main (a fresh uuid4 object per message) and else of a handler
call whose inbound id was nil (a uuid4 object first, then "<id>_1", ...); {"op": "exit"}.
Everything that happens is printed to stdout as one JSON line (values in marker form).
"""

import argparse
import json
import os
import signal
import sys
import time
import uuid
from decimal import Decimal

import msgpack
import zmq

# --- the seed's msgpack wrapper -------------------------------------------------------------


def custom_encode(obj):
    if isinstance(obj, Decimal):
        return {'__decimal__': True, 'as_str': str(obj)}
    if isinstance(obj, set):
        return {'__set__': True, 'value': list(obj)}
    if isinstance(obj, uuid.UUID):
        return {'__uuid__': True, 'as_str': str(obj)}
    return obj


def custom_decode(obj):
    if '__decimal__' in obj:
        return Decimal(obj['as_str'])
    if '__set__' in obj:
        return set(obj['value'])
    if '__uuid__' in obj:
        return uuid.UUID(obj['as_str'])
    return obj


def msg_pack(obj):
    return msgpack.packb(obj, default=custom_encode, use_bin_type=True)


def msg_unpack(data):
    return msgpack.unpackb(data, object_hook=custom_decode, raw=False)


# --- output ---------------------------------------------------------------------------------


def as_json(obj):
    if isinstance(obj, (set, frozenset)):
        return {'__set__': True, 'value': sorted(obj, key=repr)}
    if isinstance(obj, bytes):
        return {'__bytes__': obj.hex()}
    encoded = custom_encode(obj)
    if encoded is obj:
        return {'__repr__': repr(obj)}
    return encoded


def emit(event, **fields):
    sys.stdout.write(json.dumps({'event': event, **fields}, default=as_json) + '\n')
    sys.stdout.flush()


# --- sockets, as the seed makes them ---------------------------------------------------------

CONTEXT = zmq.Context()
SOCKETS = []


def socket_of(kind, address, bind):
    sock = CONTEXT.socket(kind)
    sock.setsockopt(zmq.LINGER, 0)
    if bind:
        sock.bind('tcp://*:%s' % address.split(':')[-1])
    else:
        sock.connect('tcp://%s' % address)
    SOCKETS.append(sock)
    return sock


def publisher(address, model):
    sock = socket_of(zmq.PUB, address, bind=True)
    time.sleep(model.get('optional_creation_arguments', {}).get('wait_after_creation_s', 0.15))
    return sock


def subscriber(address, model):
    sock = CONTEXT.socket(zmq.SUB)
    sock.setsockopt(zmq.LINGER, 0)
    topic = topic_of(model)
    if topic:
        sock.setsockopt(zmq.SUBSCRIBE, msg_pack(topic))
    else:
        sock.setsockopt_string(zmq.SUBSCRIBE, '')
    sock.connect('tcp://%s' % address)
    SOCKETS.append(sock)
    return sock


def topic_of(model):
    return model.get('optional_creation_arguments', {}).get('topic', '')


def publish(sock, model, payload):
    topic = topic_of(model)
    sock.send(msg_pack(topic) + msg_pack(payload) if topic else msg_pack(payload))


def strip_topic(model, frame):
    topic = topic_of(model)
    return frame[len(msg_pack(topic)):] if topic else frame


def request(address, payload, timeout_ms=10000):
    """One REQ round trip (the seed keeps one REQ socket; a fresh one per call survives a timeout)."""
    sock = socket_of(zmq.REQ, address, bind=False)
    try:
        sock.send(msg_pack(payload))
        if not sock.poll(timeout_ms):
            raise TimeoutError('no reply from %s within %s ms' % (address, timeout_ms))
        return msg_unpack(sock.recv())
    finally:
        sock.close()
        SOCKETS.remove(sock)


# --- outputs and the seed's to_send ----------------------------------------------------------


class Out:
    """An out connection or state: send(payload) -> reply payload or None."""

    def __init__(self, name, model, addresses):
        self.name = name
        self.model = model
        self.type = model.get('connection_type') or model.get('state_type')
        self.addresses = addresses
        self.state = {}
        self.current_num = 0
        if self.type in ('publisher', 'delta_update_out', 'full_update_out'):
            self.pub = publisher(addresses['publisher'], model)
        self.rep = socket_of(zmq.REP, addresses['replyer'], bind=True) if self.type == 'delta_update_out' else None

    def send(self, payload):
        if self.type == 'requester':
            return request(self.addresses['requester'], payload)
        if self.type == 'delta_update_out':
            args = payload['args']
            if args['is_snapshot']:
                self.state = dict(args['state'])
            else:
                for key, value in args['state'].items():
                    if value is None:
                        self.state.pop(key, None)
                    else:
                        self.state[key] = value
            # 0.0.3 never updates current_num here (its snapshot replies always say 0); a peer
            # that did the same could not be caught up with, so this one keeps the caller's number.
            self.current_num = args['current_num']
        publish(self.pub, self.model, payload)
        return None

    def answer_snapshot(self):
        payload = msg_unpack(self.rep.recv())
        emit('snapshot_request', name=self.name, payload=payload)
        reply = {'state': self.state, 'current_num': self.current_num}
        self.rep.send(msg_pack({'return_args': reply, 'workflow_id': payload.get('workflow_id')}))


def setup_to_send(outs, workflow_id=None, increment_id=True):
    """The seed's to_send: main mode (increment_id False) takes a fresh uuid4 object per message;
    a handler's first message carries the inbound id (a new uuid4 object if it had none) as it
    is, the ones after it the strings '<id>_1', '<id>_2', ..."""
    local = {'num_calls': 0, 'workflow_id': uuid.uuid4() if not workflow_id and increment_id else workflow_id}

    def current_workflow_id():
        current = local['workflow_id'] or uuid.uuid4()
        if local['num_calls'] > 0:
            current = '{}_{}'.format(current, local['num_calls'])
        if increment_id:
            local['num_calls'] += 1
        return current

    def to_send(output_type, output_name, args):
        if output_type not in ('state', 'connection'):
            raise ValueError('Output type for to_send must be "state" or "connection"!')
        workflow = current_workflow_id()
        emit('sent', name=output_name, workflow_id=workflow, args=args)
        response = outs[output_name].send({'args': args, 'workflow_id': workflow})
        if response is None:
            return {}
        emit('reply', name=output_name, return_args=response.get('return_args'), workflow_id=response.get('workflow_id'),
             error=response.get('error'))
        return response.get('return_args')

    return to_send


# --- in connections and states ---------------------------------------------------------------


class In:
    """An in connection or state: one socket to poll and what to do with each frame."""

    def __init__(self, name, model, addresses, outs):
        self.name = name
        self.model = model
        self.type = model.get('connection_type') or model.get('state_type')
        self.outs = outs
        self.state = {}
        self.current_num = -1
        if self.type == 'replyer':
            self.socket = socket_of(zmq.REP, addresses['replyer'], bind=True)
        else:
            self.socket = subscriber(addresses['subscriber'], model)
        self.requester = addresses.get('requester')

    def on_frame(self, frame):
        try:
            payload = msg_unpack(strip_topic(self.model, frame) if self.type != 'replyer' else frame)
        except Exception as error:  # the seed would crash here; the tests want to see it
            emit('error', name=self.name, message='undecodable frame: %r' % error, frame=frame.hex())
            if self.type == 'replyer':
                self.socket.send(msg_pack({'return_args': None, 'workflow_id': None}))
            return
        args = payload.get('args')
        workflow_id = payload.get('workflow_id')
        if self.type == 'delta_update_in':
            return self.delta(args, workflow_id)
        if self.type == 'full_update_in':
            self.state = args
            return emit('state', name=self.name, how='full', value=args, workflow_id=workflow_id)
        emit('received', name=self.name, args=args, workflow_id=workflow_id)
        try:
            self.handle(args, workflow_id)
        except Exception as error:
            emit('error', name=self.name, message=repr(error))
        if self.type == 'replyer':
            self.socket.send(msg_pack({'return_args': args, 'workflow_id': workflow_id}))

    def handle(self, args, workflow_id):
        forward = self.model.get('forward')
        if not forward:
            return
        to_send = setup_to_send(self.outs, workflow_id=workflow_id, increment_id=True)
        for _ in range(forward.get('times', 1)):
            to_send(forward.get('type', 'connection'), forward['to'], args)

    def delta(self, args, workflow_id):
        """The seed's delta_update_in: a snapshot replaces, an old number is skipped, a gap asks
        the out side's replyer for a snapshot ({"args": {}}), the next number is applied."""
        num = args['current_num']
        if args['is_snapshot']:
            self.state, self.current_num = args['state'], num
            return emit('state', name=self.name, how='snapshot', value=self.state, current_num=num, workflow_id=workflow_id)
        if num < self.current_num:
            return emit('skipped', name=self.name, current_num=num)
        if num != self.current_num + 1:
            response = request(self.requester, {'args': {}})
            self.state = response['return_args']['state']
            self.current_num = response['return_args']['current_num']
            return emit('state', name=self.name, how='reset', value=self.state, current_num=self.current_num,
                        workflow_id=response.get('workflow_id'))
        for key, value in args['state'].items():
            if value is None:
                del self.state[key]
            else:
                self.state[key] = value
        self.current_num = num
        emit('state', name=self.name, how='delta', value=self.state, current_num=num, workflow_id=workflow_id)


# --- the service loop ------------------------------------------------------------------------


def build(models, addresses):
    outs, ins = {}, []
    for group in ('connections', 'states'):
        for name, model in models.get(group, {}).get('out', {}).items():
            outs[name] = Out(name, model, addresses[group]['out'][name])
    for group in ('connections', 'states'):
        for name, model in models.get(group, {}).get('in', {}).items():
            ins.append(In(name, model, addresses[group]['in'][name], outs))
    return outs, ins


def run(models, addresses, main_mode):
    outs, ins = build(models, addresses)
    to_send = setup_to_send(outs, workflow_id=None, increment_id=not main_mode)
    poller = zmq.Poller()
    handlers = {}
    for endpoint in ins:
        handlers[endpoint.socket] = lambda sock, endpoint=endpoint: endpoint.on_frame(sock.recv())
    for out in outs.values():
        if out.rep is not None:
            handlers[out.rep] = lambda _sock, out=out: out.answer_snapshot()
    for sock in handlers:
        poller.register(sock, zmq.POLLIN)
    stdin = sys.stdin.fileno()
    poller.register(stdin, zmq.POLLIN)
    emit('ready')
    pending = b''
    while True:
        for sock, _ in poller.poll():
            if sock == stdin:
                chunk = os.read(stdin, 65536)
                if not chunk:
                    return
                pending += chunk
                *lines, pending = pending.split(b'\n')
                for line in lines:
                    if line.strip() and command(json.loads(line, object_hook=custom_decode), to_send) == 'exit':
                        return
            else:
                try:
                    handlers[sock](sock)
                except Exception as error:  # the seed would crash; the tests want to see it
                    emit('error', message=repr(error))


def command(cmd, to_send):
    if cmd['op'] == 'exit':
        return 'exit'
    try:
        to_send(cmd.get('type', 'connection'), cmd['name'], cmd['args'])
        emit('done', name=cmd['name'])
    except Exception as error:
        emit('error', name=cmd.get('name'), message=repr(error))
    return None


def main():
    parser = argparse.ArgumentParser(description='A service_framework 0.0.3 peer on the wire (e2e tests).')
    parser.add_argument('--addresses', required=True)
    parser.add_argument('--models', required=True)
    parser.add_argument('--main', action='store_true')
    options = parser.parse_args()
    with open(options.addresses) as addresses_file:
        addresses = json.load(addresses_file)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
    try:
        run(json.loads(options.models), addresses, options.main)
    finally:
        for sock in SOCKETS:
            sock.close(linger=0)
        CONTEXT.term()


if __name__ == '__main__':
    main()
