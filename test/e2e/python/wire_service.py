"""A service_framework 0.0.3 service for the e2e tests, run by peer_003.py (or 0.0.3 itself):

    cd test/e2e/python && python3 peer_003.py -s ./wire_service.py -a ADDRESSES --models JSON [-m]

Its models come from the config pair `--models`: {"connections"|"states": {"in"|"out": {name:
model}}}, 0.0.3 models without the handlers, which are added here, and with type names for Python's types
("str", "int", "Decimal", "UUID", "dict", "object", "{str}" a set, ["int"] a list). A model without
argument models takes any string keys with scalar values (`{str: object}`; 0.0.3 cannot check a set,
list or map against `object`). An in connection may hold "forward": {"to": out_name,
"type": "connection"|"state", "times": n}: its handler calls to_send(type, to, args) `times` times
and returns its args (a replyer's reply). In main mode, main reads JSON lines on stdin (marker
maps become Decimal/set/UUID): {"op": "send", "type": ..., "name": ..., "args": {...}} calls
to_send and prints {"event": "done"} (or "error"); {"op": "exit"}, or the end of stdin, returns.
"""

import json
import sys
import uuid
from decimal import Decimal

import peer_003

ANY = {str: object}
TYPES = {'str': str, 'int': int, 'float': float, 'bool': bool, 'dict': dict, 'object': object, 'Decimal': Decimal,
         'UUID': uuid.UUID}
ARGUMENT_MODELS = ('required_arguments', 'optional_arguments', 'required_return_arguments', 'optional_return_arguments')


def _typed(spec):
    """A model written in JSON with type names: "str", "{str}" (a set of str), ["int"] (a list), {...} (nested)."""
    if isinstance(spec, list):
        return [_typed(spec[0])]
    if isinstance(spec, dict):
        return {key: _typed(value) for key, value in spec.items()}
    if spec.startswith('{') and spec.endswith('}'):
        return {TYPES[spec[1:-1]]}
    return TYPES[spec]
config_model = {'required': {'models': str}, 'optional': {}}
connection_models = {}
state_models = {}


def _forwarding(forward):
    def on_new_request(args, to_send, states, config):
        for _ in range(forward.get('times', 1) if forward else 0):
            to_send(forward.get('type', 'connection'), forward['to'], args)
        return args
    return on_new_request


def _models(group, config):
    models = json.loads(config['models']).get(group, {})
    for side in models.values():
        for model in side.values():
            forward = model.pop('forward', None)
            for key in ARGUMENT_MODELS:
                if key in model:
                    model[key] = _typed(model[key])
            kind = model.get('connection_type') or model.get('state_type')
            if kind == 'replyer':
                model.setdefault('required_creation_arguments', {})['on_new_request'] = _forwarding(forward)
            if kind == 'subscriber':
                model.setdefault('required_creation_arguments', {})['on_new_message'] = _forwarding(forward)
            if kind in ('delta_update_in', 'delta_update_out'):
                model['required_state_arguments'] = {'current_num': int, 'is_snapshot': bool}
                model.setdefault('required_arguments', {'state': dict})
            elif 'required_arguments' not in model and 'optional_arguments' not in model:
                model['optional_arguments'] = ANY
            if 'required_return_arguments' not in model and 'optional_return_arguments' not in model:
                model['optional_return_arguments'] = ANY
    return models


def setup_connection_models(_models_in_file, config):
    return _models('connections', config)


def setup_state_models(_models_in_file, config):
    return _models('states', config)


def main(to_send, config):
    for line in sys.stdin:
        if not line.strip():
            continue
        command = json.loads(line, object_hook=peer_003.custom_decode)
        if command['op'] == 'exit':
            return
        try:
            to_send(command.get('type', 'connection'), command['name'], command['args'])
            peer_003.emit('done', name=command['name'])
        except Exception as error:
            peer_003.emit('error', name=command.get('name'), message=repr(error))
