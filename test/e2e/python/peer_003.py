"""A stand-in for `python -m service_framework` of the Python package service_framework 0.0.3.

    peer_003.py -s ./service.py [-a ADDRESSES] [-c CONFIG] [-m] [-cl LEVEL] [-f LEVEL] [-l FILE] [-bc N] [--key value ...]

Written for the tests from the package's own code (0.0.3 is commit 7ee29d5 of
github.com/ZacharyATanenbaum/service_framework). What a user meets at start is copied, quirks
included, so a test cannot pass where 0.0.3 would fail:
- the same argparse flags, parse_known_args, and the leftovers as config pairs (`--key`/`-key`
  stripped, an odd count refused), read only when the service has a `config_model`;
- the service imported as 0.0.3 does: its `-s` path, relative to the working folder, turned into
  a module name (`./a/b.py` -> `a.b`; an absolute path becomes `.abs.dir.b`, which importlib
  refuses with "the 'package' argument is required to perform a relative import");
- the addresses file opened with plain open(), the config file joined to the working folder;
- `console_loglevel` given to logging.setLevel (Python's level names only: `INFO`, not `info`);
  `-l` crashes as in 0.0.3 (its logging_utils uses logging.handlers without importing it);
- models, addresses, creation arguments, argument models and handler signatures checked with
  0.0.3's validate_args; a bad inbound message or a handler error ends the process, as in 0.0.3;
- sockets as 0.0.3 makes them: binders on tcp://*:port, one REQ socket per requester;
- delta_update_out answers every snapshot request with current_num 0 (it never counts), and
  delta_update_in asks for a snapshot on every gap;
- main mode runs the service's `main(to_send, config)` with the service loop in a daemon thread.

What 0.0.3 does not do, for the tests: everything that happens is printed to stdout as one JSON
line (values in marker form): ready, received, sent, reply, state, skipped, snapshot_request,
error. Without -m, a JSON line {"op": "exit"} on stdin, or its end, stops the peer (exit 0), as
do SIGINT and SIGTERM (after the service's sigint_handler); a REQ socket gives up after 10 s.
"""

import argparse
import importlib
import json
import logging
import os
import signal
import sys
import threading
import time
import traceback
import uuid
from decimal import Decimal
from inspect import signature
from types import FunctionType

import msgpack
import zmq

LOG = logging.getLogger('service_framework')
REQUEST_TIMEOUT_MS = 10000

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


# --- output (not in 0.0.3) ---------------------------------------------------------------------

EMIT_LOCK = threading.Lock()


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
    with EMIT_LOCK:
        sys.stdout.write(json.dumps({'event': event, **fields}, default=as_json) + '\n')
        sys.stdout.flush()


# --- 0.0.3's __main__.get_arguments, utils, config_utils, logging_utils (copied) ---------------


def get_arguments():
    parser = argparse.ArgumentParser(description='Run tests on a file.')
    parser.add_argument('-a', '--addresses_path', help='Rel. Loc of the Addresses json')
    parser.add_argument('-c', '--config_path', default=None, help='Relative loc of config json')
    parser.add_argument('-s', '--service_path', help='Relative loc of the service.')
    parser.add_argument('-m', '--main_mode', action='store_true', help='Run as main.')
    parser.add_argument('-cl', '--console_loglevel', default='INFO', help='See name')
    parser.add_argument('-bc', '--backup_count', default=240, help='Num of hourly file backups')
    parser.add_argument('-f', '--file_loglevel', default='INFO', help='See name')
    parser.add_argument('-l', '--log_folder', default=None, help='Log file folder')
    args, unknown_args = parser.parse_known_args()
    print('Using Arguments:', args)
    print('Got unknown Arguments:', unknown_args)
    return args, unknown_args


def setup_package_logger(console_loglevel='INFO', log_folder=None, file_loglevel='INFO', backup_count=240):
    LOG.setLevel(console_loglevel)
    formatter = logging.Formatter('%(asctime)s - %(name)s - %(levelname)s - %(message)s')
    console_handler = logging.StreamHandler()
    console_handler.setLevel(console_loglevel)
    console_handler.setFormatter(formatter)
    LOG.addHandler(console_handler)
    if log_folder:
        # 0.0.3 never imports logging.handlers, so this line fails there as it does here.
        file_handler = logging.handlers.TimedRotatingFileHandler(log_folder, when='h', backupCount=backup_count)
        file_handler.setLevel(file_loglevel)
        LOG.addHandler(file_handler)


def convert_path_to_import(path):
    if len(path) > 3 and path[:2] == './':
        path = path[2:]
    if '/../' in path:
        path = path.replace('/../', '..')
    if '../' in path:
        path = path.replace('../', '..')
    path = path[:-3]  # Remove .py from path
    return path.replace('/', '.')


def import_python_file_from_cwd(path):
    import_path = convert_path_to_import(path)
    sys.path.append(os.getcwd())
    return importlib.import_module(import_path)


def get_config_from_unknown_args(unknown_args):
    if len(unknown_args) % 2 != 0:
        raise ValueError('Unknown Args MUST come in pairs of two! (As it becomes a dict)')
    config = {}
    unknown_args = iter(unknown_args)
    for key in unknown_args:
        value = next(unknown_args)
        if len(key) > 2 and key[:2] == '--':
            key = key[2:]
        if len(key) > 1 and key[:1] == '-':
            key = key[1:]
        config[key] = value
    return config


def setup_config(config_path, unknown_args, service):
    if not hasattr(service, 'config_model'):
        LOG.warning('No "config_model" in Service File. Skipping config setup...')
        return {}
    config = {}
    if config_path:
        with open(os.path.join(os.getcwd(), config_path), 'r') as config_file:
            config = {**config, **json.load(config_file)}
    if unknown_args:
        config = {**config, **get_config_from_unknown_args(unknown_args)}
    if hasattr(service, 'setup_config'):
        config = service.setup_config(config)
        if not isinstance(config, dict):
            raise ValueError('setup_config function must return a dict of configs!')
    validate_args(config, service.config_model.get('required', {}), service.config_model.get('optional', {}))
    return config


def setup_addresses(addresses_path, service, config):
    if not addresses_path:
        LOG.info('No Address Path! Skipping...')
        return {}
    with open(addresses_path, 'r') as addresses_file:
        addresses = json.load(addresses_file)
    if hasattr(service, 'setup_addresses'):
        addresses = service.setup_addresses(addresses, config)
        if not isinstance(addresses, dict):
            raise ValueError('setup_addresses function must return a dict of addresses!')
    return addresses


# --- 0.0.3's validation_utils.validate_args (copied) --------------------------------------------


def validate_args(new_args, required_args, optional_args):
    if isinstance(new_args, dict):
        validate_required_arg(new_args, required_args)
        non_required_keys = new_args.keys() - required_args.keys()
        validate_optional_arg({key: val for key, val in new_args.items() if key in non_required_keys}, optional_args)
    elif isinstance(new_args, set):
        validate_required_arg(new_args, required_args)
        validate_optional_arg(new_args - required_args, optional_args)
    else:
        raise ValueError('Attempting to validate unsupported type: {}'.format(type(new_args)))


def validate_optional_arg(non_required_arg, optional_type):
    if isinstance(non_required_arg, dict):
        for key, val in non_required_arg.items():
            if type(key) in optional_type:
                validate_optional_arg(val, optional_type[type(key)])
            elif key not in optional_type:
                raise ValueError('Key "{}" not in optional arguments "{}"'.format(key, optional_type))
            else:
                validate_optional_arg(val, optional_type[key])
    elif isinstance(non_required_arg, list):
        for item in non_required_arg:
            validate_optional_arg(item, optional_type[0])
    elif isinstance(non_required_arg, tuple):
        if len(non_required_arg) != len(optional_type):
            raise ValueError('Provided non-required tuple "{}" not same size as optional "{}"'.format(non_required_arg, optional_type))
        for idx, item in enumerate(non_required_arg):
            validate_optional_arg(item, optional_type[idx])
    elif (isinstance(non_required_arg, set) and isinstance(optional_type, set) and len(optional_type) == 1
          and isinstance(next(iter(optional_type)), type)):
        for item in non_required_arg:
            validate_optional_arg(item, next(iter(optional_type)))
    elif isinstance(non_required_arg, set):
        for item in non_required_arg:
            if item not in optional_type:
                raise ValueError('Provided item "{}" of set "{}" is not in optional set "{}"'.format(item, non_required_arg, optional_type))
    elif isinstance(non_required_arg, FunctionType) and isinstance(optional_type, FunctionType):
        if signature(non_required_arg) != signature(optional_type):
            raise ValueError('Provided func "{}" with signature "{}" missing optional signature "{}"'.format(
                non_required_arg, signature(non_required_arg), signature(optional_type)))
    elif not isinstance(non_required_arg, optional_type):
        raise ValueError('Non Required Argument "{}" type "{}" is not of optional type "{}"'.format(
            non_required_arg, type(non_required_arg), optional_type))


def validate_required_arg(new_arg, required_type):
    if (isinstance(required_type, dict) and len(required_type.keys()) == 1 and len(required_type.values()) == 1
            and type(list(required_type.keys())[0]) == type):
        required_key_type = list(required_type.keys())[0]
        for key, val in new_arg.items():
            if not isinstance(key, required_key_type):
                raise ValueError(f'Key {key} not of required type {required_key_type}')
            validate_required_arg(val, list(required_type.values())[0])
    elif isinstance(required_type, dict):
        for key, val in required_type.items():
            if key not in new_arg:
                raise ValueError('Key "{}" not in new arg "{}"'.format(key, new_arg))
            validate_required_arg(new_arg[key], val)
    elif isinstance(required_type, list):
        for item in new_arg:
            validate_required_arg(item, required_type[0])
    elif isinstance(required_type, tuple):
        if len(required_type) != len(new_arg):
            raise ValueError('Provided tuple argument "{}" not same size as required "{}"'.format(new_arg, required_type))
        for idx, item in enumerate(new_arg):
            validate_required_arg(item, required_type[idx])
    elif isinstance(required_type, set) and len(required_type) == 1 and isinstance(next(iter(required_type)), type):
        for arg in new_arg:
            validate_optional_arg(arg, next(iter(required_type)))
    elif isinstance(required_type, set):
        for item in required_type:
            if item not in new_arg:
                raise ValueError('item "{}" of required set "{}" not found in set "{}"'.format(item, required_type, new_arg))
    elif isinstance(new_arg, FunctionType) and isinstance(required_type, FunctionType):
        if signature(new_arg) != signature(required_type):
            raise ValueError('Provided func "{}" with signature "{}" misisng required signature "{}"'.format(
                new_arg, signature(new_arg), signature(required_type)))
    elif not isinstance(new_arg, required_type):
        raise ValueError('New Argument "{}" of type "{}" is not of required type "{}"'.format(new_arg, type(new_arg), required_type))


# --- the 0.0.3 connection and state types: what each checks and the sockets it makes ------------

HANDLER = lambda args, to_send, states, config: True  # noqa: E731 (0.0.3's model of a handler's signature)
PUB_OPTIONS = {'topic': str, 'is_x_pub': bool, 'wait_after_creation_s': float}
DELTA_ARGS = {'current_num': int, 'is_snapshot': bool}
# type -> (required addresses, required creation args, optional creation args, required connection/state args)
TYPES = {
    'replyer': ({'replyer': str}, {'on_new_request': HANDLER}, {}, {}),
    'subscriber': ({'subscriber': str}, {'on_new_message': HANDLER}, {'topic': str}, {}),
    'requester': ({'requester': str}, {}, {}, {}),
    'publisher': ({'publisher': str}, {}, PUB_OPTIONS, {}),
    'delta_update_in': ({'subscriber': str, 'requester': str}, {}, {'topic': str}, DELTA_ARGS),
    'delta_update_out': ({'publisher': str, 'replyer': str}, {}, PUB_OPTIONS, DELTA_ARGS),
    'full_update_in': ({'subscriber': str}, {}, {'topic': str}, {}),
    'full_update_out': ({'publisher': str}, {}, PUB_OPTIONS, {}),
}
MODEL_KEYS = {'required_creation_arguments', 'optional_creation_arguments', 'required_arguments', 'optional_arguments',
              'required_return_arguments', 'optional_return_arguments'}
CONTEXT = zmq.Context()


def socket_of(kind, address, bind):
    sock = CONTEXT.socket(kind)
    sock.setsockopt(zmq.LINGER, 0)
    if bind:
        sock.bind('tcp://*:%s' % address.split(':')[-1])
    else:
        sock.connect('tcp://%s' % address)
    return sock


class Endpoint:
    """One connection or state of the service, checked as 0.0.3's BaseConnection/BaseState does."""

    def __init__(self, group, side, name, model, addresses):
        kind = 'connection' if group == 'connections' else 'state'
        validate_args(set(model.keys()), {kind + '_type'}, MODEL_KEYS | {'required_%s_arguments' % kind, 'optional_%s_arguments' % kind})
        self.name, self.model, self.kind = name, model, kind
        self.type = model[kind + '_type']
        if self.type not in TYPES:  # 0.0.3: ModuleNotFoundError importing service_framework.<group>.<side>.<type>
            raise ModuleNotFoundError("No module named 'service_framework.%s.%s.%s'" % (group, side, self.type))
        required_addresses, required_creation, optional_creation, required_kind_args = TYPES[self.type]
        validate_args(addresses, required_addresses, {})
        assert model.get('required_%s_arguments' % kind, {}) == required_kind_args
        assert model.get('optional_%s_arguments' % kind, {}) == {}
        creation = {**model.get('required_creation_arguments', {}), **model.get('optional_creation_arguments', {})}
        validate_args(creation, required_creation, optional_creation)
        self.creation = creation
        self.topic = creation.get('topic', '')
        required = {**model.get('required_%s_arguments' % kind, {}), **model.get('required_arguments', {})}
        optional = {**model.get('optional_%s_arguments' % kind, {}), **model.get('optional_arguments', {})}
        self.args_validator = lambda args: validate_args(args, required, optional)
        self.return_validator = lambda args: validate_args(
            args, model.get('required_return_arguments', {}), model.get('optional_return_arguments', {}))
        self.addresses = addresses
        self.state, self.rep, self.socket = {}, None, None
        self.current_num = 0 if side == 'out' else -1
        if self.type in ('publisher', 'delta_update_out', 'full_update_out'):
            self.socket = socket_of(zmq.PUB, addresses['publisher'], bind=not creation.get('is_x_pub', False))
            time.sleep(creation.get('wait_after_creation_s', 0.15))
        if self.type in ('subscriber', 'delta_update_in', 'full_update_in'):
            self.socket = CONTEXT.socket(zmq.SUB)
            self.socket.setsockopt(zmq.LINGER, 0)
            if self.topic:
                self.socket.setsockopt(zmq.SUBSCRIBE, msg_pack(self.topic))
            else:
                self.socket.setsockopt_string(zmq.SUBSCRIBE, '')
            self.socket.connect('tcp://%s' % addresses['subscriber'])
        if self.type == 'replyer':
            self.socket = socket_of(zmq.REP, addresses['replyer'], bind=True)
        if self.type == 'delta_update_out':
            self.rep = socket_of(zmq.REP, addresses['replyer'], bind=True)
        self.req = socket_of(zmq.REQ, addresses['requester'], bind=False) if 'requester' in addresses else None

    def request(self, payload):
        """One round trip on the endpoint's REQ socket (0.0.3 waits for ever; this peer for 10 s)."""
        self.req.send(msg_pack(payload))
        if not self.req.poll(REQUEST_TIMEOUT_MS):
            raise TimeoutError('no reply from %s within %s ms' % (self.addresses['requester'], REQUEST_TIMEOUT_MS))
        return msg_unpack(self.req.recv())

    def send(self, payload):
        """An out endpoint's send: the reply payload of a requester, else None."""
        if self.type == 'requester':
            return self.request(payload)
        if self.type == 'delta_update_out':
            if payload['args']['is_snapshot']:
                self.state = payload['args']['state']
            else:
                apply_delta(self.state, payload['args']['state'])
        frame = msg_pack(payload)
        self.socket.send(msg_pack(self.topic) + frame if self.topic else frame)
        return None

    def decode(self, frame):
        if self.topic and self.type != 'replyer':
            frame = frame[len(msg_pack(self.topic)):]
        return msg_unpack(frame)


def apply_delta(state, delta):
    for key, value in delta.items():
        if value is None:
            del state[key]
        else:
            state[key] = value


def setup_endpoints(service, addresses, config):
    """0.0.3's setup_connections and setup_states: models from the service, hooks applied."""
    endpoints = {}
    for group, hook in (('connections', 'setup_connection_models'), ('states', 'setup_state_models')):
        attribute = 'connection_models' if group == 'connections' else 'state_models'
        endpoints[group] = {}
        if not hasattr(service, attribute):
            continue
        models = getattr(service, attribute)
        if hasattr(service, hook):
            models = getattr(service, hook)(models, config)
            if not isinstance(models, dict):
                raise ValueError('%s function must return a dict of models!' % hook)
        for side in ('in', 'out'):
            if side not in models:
                continue
            endpoints[group][side] = {}
            for name, model in models[side].items():
                given = addresses[group][side][name] if group == 'states' else addresses.get(group, {}).get(side, {}).get(name, {})
                endpoints[group][side][name] = Endpoint(group, side, name, model, given)
    return endpoints


# --- to_send and the service loop, as 0.0.3's service_utils ---------------------------------------


def setup_to_send(endpoints, workflow_id=None, increment_id=True):
    local = {'num_calls': 0, 'workflow_id': uuid.uuid4() if not workflow_id and increment_id else workflow_id}

    def current_workflow_id():
        current = local['workflow_id'] or uuid.uuid4()
        if local['num_calls'] > 0:
            current = '{}_{}'.format(current, local['num_calls'])
        if increment_id:
            local['num_calls'] += 1
        return current

    def to_send(output_type, output_name, args):
        workflow = current_workflow_id()
        if output_type not in ('state', 'connection'):
            raise ValueError('Output type for to_send must be "state" or "connection"!')
        output = endpoints['connections' if output_type == 'connection' else 'states']['out'][output_name]
        output.args_validator(args)
        emit('sent', name=output_name, workflow_id=workflow, args=args)
        response = output.send({'args': args, 'workflow_id': workflow})
        returned = {} if response is None else response.get('return_args')
        if response is not None:
            emit('reply', name=output_name, return_args=returned, workflow_id=response.get('workflow_id'), error=response.get('error'))
        output.return_validator(returned)
        return returned

    return to_send


def current_states(endpoints):
    return {name: endpoint.state for name, endpoint in endpoints['states'].get('in', {}).items()}


def on_frame(endpoint, sock, endpoints, config):
    """One inbound frame, as 0.0.3's run_service handles it (an exception ends the loop)."""
    try:
        payload = endpoint.decode(sock.recv()) if sock is not endpoint.rep else msg_unpack(sock.recv())
        args, workflow_id = payload.get('args'), payload.get('workflow_id')
        if sock is endpoint.rep:  # delta_update_out's replyer: the state, and always number 0
            emit('snapshot_request', name=endpoint.name, payload=payload)
            reply = {'state': endpoint.state, 'current_num': endpoint.current_num}
            return sock.send(msg_pack({'return_args': reply, 'workflow_id': workflow_id}))
        endpoint.args_validator(args)
        if endpoint.type == 'delta_update_in':
            return update_delta(endpoint, args, workflow_id)
        if endpoint.type == 'full_update_in':
            endpoint.state = args
            return emit('state', name=endpoint.name, how='full', value=args, workflow_id=workflow_id)
        emit('received', name=endpoint.name, args=args, workflow_id=workflow_id)
        handler = endpoint.creation['on_new_request' if endpoint.type == 'replyer' else 'on_new_message']
        to_send = setup_to_send(endpoints, workflow_id=workflow_id, increment_id=True)
        return_args = handler(args, to_send, current_states(endpoints), config)
        if endpoint.type == 'replyer':
            endpoint.return_validator(return_args)
            sock.send(msg_pack({'return_args': return_args, 'workflow_id': workflow_id}))
    except Exception as error:
        emit('error', name=endpoint.name, message=repr(error))
        raise


def update_delta(endpoint, args, workflow_id):
    """0.0.3's delta_update_in: a snapshot replaces, an old number is skipped, a gap asks for a snapshot."""
    num = args['current_num']
    if args['is_snapshot']:
        endpoint.state, endpoint.current_num = args['state'], num
        return emit('state', name=endpoint.name, how='snapshot', value=endpoint.state, current_num=num, workflow_id=workflow_id)
    if num < endpoint.current_num:
        return emit('skipped', name=endpoint.name, current_num=num)
    if num != endpoint.current_num + 1:
        response = endpoint.request({'args': {}})
        endpoint.current_num = response['return_args']['current_num']
        endpoint.state = response['return_args']['state']
        return emit('state', name=endpoint.name, how='reset', value=endpoint.state, current_num=endpoint.current_num,
                    workflow_id=response.get('workflow_id'))
    endpoint.current_num = num
    apply_delta(endpoint.state, args['state'])
    emit('state', name=endpoint.name, how='delta', value=endpoint.state, current_num=num, workflow_id=workflow_id)


def run_service(endpoints, config, watch_stdin):
    poller, owners = zmq.Poller(), {}
    for group in endpoints.values():
        for side in group.values():
            for endpoint in side.values():
                for sock in (endpoint.socket, endpoint.rep):
                    if sock is not None and (sock is endpoint.rep or endpoint.type in ('replyer', 'subscriber') or endpoint.type.endswith('_in')):
                        owners[sock] = endpoint
                        poller.register(sock, zmq.POLLIN)
    stdin = sys.stdin.fileno()
    if watch_stdin:
        poller.register(stdin, zmq.POLLIN)
    pending = b''
    while True:
        for sock, _ in poller.poll():
            if sock != stdin:
                on_frame(owners[sock], sock, endpoints, config)
                continue
            chunk = os.read(stdin, 65536)
            if not chunk:
                return
            pending += chunk
            *lines, pending = pending.split(b'\n')
            if any(line.strip() and json.loads(line).get('op') == 'exit' for line in lines):
                return


def finish(code):
    """Ends the process at once (a daemon thread may be polling sockets: no clean-up to race with)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main():
    args, unknown_args = get_arguments()
    setup_package_logger(args.console_loglevel, args.log_folder, args.file_loglevel, args.backup_count)
    LOG.info('Starting service...')
    service = import_python_file_from_cwd(args.service_path)
    config = setup_config(args.config_path, unknown_args, service)
    addresses = setup_addresses(args.addresses_path, service, config)
    endpoints = setup_endpoints(service, addresses, config)

    def stop(signum, frame):
        if hasattr(service, 'sigint_handler'):
            service.sigint_handler(signum, frame, setup_to_send(endpoints), current_states(endpoints), config)
        finish(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if args.main_mode:
        if endpoints['connections'].get('in'):
            raise ValueError('In connections do not work in main_mode. Please remove.')
        if endpoints['states'].get('in'):
            raise ValueError('In states do not work in main_mode. Please remove.')
        threading.Thread(target=run_service, args=(endpoints, config, False), daemon=True).start()
        emit('ready')
        service.main(setup_to_send(endpoints, workflow_id=None, increment_id=False), config)
    else:
        emit('ready')
        run_service(endpoints, config, True)


if __name__ == '__main__':
    try:
        main()
    except Exception:  # as 0.0.3: the traceback and exit code 1
        traceback.print_exc()
        finish(1)
    finish(0)
