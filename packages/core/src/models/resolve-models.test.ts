import { describe, expect, it } from 'vitest';
import { type Addresses, emptyAddresses } from '../config/load-addresses.js';
import { ConfigError, ModelError, type SfError, UnknownTypeError, ValidationError } from '../errors.js';
import { createRegistry } from '../registry/registry.js';
import { Decimal } from '../types/decimal.js';
import { mapOf } from '../types/helpers.js';
import { testPlugin } from '../registry/test-plugins.js';
import { type ResolveModelsInput, resolveModels } from './resolve-models.js';

const SERVICE = '/srv/orders.ts';

const reqrep = testPlugin('@test/reqrep', {
  replyer: {
    side: 'in',
    peers: ['requester'],
    addresses: ['replyer'],
    handler: 'on_new_request',
    replies: true,
    creationArguments: { required: { on_new_request: Function }, optional: { linger_ms: Number } },
  },
  requester: {
    side: 'out',
    peers: ['replyer'],
    addresses: ['requester'],
    replies: true,
    typeArguments: { required: { timeout_ms: Number }, optional: { retries: Number } },
  },
});
const pubsub = testPlugin('@test/pubsub', {
  subscriber: {
    side: 'in',
    peers: ['publisher'],
    addresses: ['subscriber'],
    handler: 'on_new_message',
    creationArguments: { required: { on_new_message: Function }, optional: { topic: String } },
  },
  publisher: {
    side: 'out',
    peers: ['subscriber'],
    addresses: ['publisher'],
    creationArguments: { optional: { topic: String, wait_after_creation_s: Number } },
  },
});
const states = testPlugin('@test/state', {
  delta_update_in: { side: 'in', kind: 'state', peers: ['delta_update_out'], addresses: ['subscriber', 'requester'] },
  delta_update_out: { side: 'out', kind: 'state', peers: ['delta_update_in'], addresses: ['publisher', 'replyer'] },
});

function registry() {
  const reg = createRegistry();
  for (const plugin of [reqrep, pubsub, states]) reg.register(plugin);
  return reg;
}

/** Addresses with one entry per `[section, side, name, sockets]`. */
function addresses(...entries: [keyof Addresses, 'in' | 'out', string, Record<string, string>][]): Addresses {
  const result = emptyAddresses();
  for (const [section, side, name, sockets] of entries) result[section][side][name] = sockets;
  return result;
}

const handler = () => ({});
const replyerAddress = addresses(['connections', 'in', 'cancel_order', { replyer: '127.0.0.1:5555' }]);
const requesterAddress = addresses(['connections', 'out', 'ask', { requester: '127.0.0.1:5555' }]);

function resolve(input: Partial<ResolveModelsInput>) {
  return resolveModels({ service: SERVICE, registry: registry(), addresses: emptyAddresses(), ...input });
}

function replyerModels(model: Record<string, unknown>) {
  return { in: { cancel_order: { connection_type: 'replyer', required_creation_arguments: { on_new_request: handler }, ...model } } };
}

function fails(run: () => unknown): SfError {
  try {
    run();
  } catch (error) {
    return error as SfError;
  }
  throw new Error('expected a throw');
}

describe('resolveModels: a valid service', () => {
  it('resolves every model to its plugin type with its values, handler and addresses', () => {
    const models = resolve({
      connection_models: {
        in: {
          cancel_order: {
            connection_type: 'replyer',
            required_creation_arguments: { on_new_request: handler },
            required_arguments: { order_id: String },
          },
        },
        out: {
          ask: {
            connection_type: 'requester',
            required_connection_arguments: { timeout_ms: 100 },
            required_return_arguments: { ok: Boolean },
          },
        },
      },
      state_models: { in: { prices: { state_type: 'delta_update_in' } } },
      addresses: addresses(
        ['connections', 'in', 'cancel_order', { replyer: '127.0.0.1:5555' }],
        ['connections', 'out', 'ask', { requester: '127.0.0.1:6666' }],
        ['states', 'in', 'prices', { subscriber: '127.0.0.1:7000', requester: '127.0.0.1:7001' }],
      ),
    });
    expect(models.map((model) => [model.path, model.typeName, model.pluginName])).toEqual([
      ['connection_models.in.cancel_order', 'replyer', '@test/reqrep'],
      ['connection_models.out.ask', 'requester', '@test/reqrep'],
      ['state_models.in.prices', 'delta_update_in', '@test/state'],
    ]);
    const [replyer, requester, prices] = models;
    expect(replyer!.handler).toBe(handler);
    expect(replyer!.addresses).toEqual({ replyer: '127.0.0.1:5555' });
    expect(replyer!.definition).toBe(reqrep.types.replyer);
    expect(requester!.typeArguments).toEqual({ timeout_ms: 100 });
    expect(requester!.handler).toBeUndefined();
    expect(prices!.kind).toBe('state');
    expect(prices!.addresses).toEqual({ subscriber: '127.0.0.1:7000', requester: '127.0.0.1:7001' });
  });

  it('resolves nothing for a service without models', () => {
    expect(resolve({})).toEqual([]);
  });
});

describe('resolveModels: model keys', () => {
  it('rejects an unknown model key, naming it and the model path and suggesting the nearest key', () => {
    const error = fails(() =>
      resolve({ connection_models: replyerModels({ required_argument: { id: String } }), addresses: replyerAddress }),
    );
    expect(error).toBeInstanceOf(ModelError);
    expect(error.code).toBe('SF_MODEL_INVALID');
    expect(error.message).toContain("Unknown key 'required_argument'");
    expect(error.location).toMatchObject({ service: SERVICE, model: 'connection_models.in.cancel_order' });
    expect(error.hint).toBe("Did you mean 'required_arguments'?");
  });

  it('checks state models against the state spelling of the keys', () => {
    const error = fails(() =>
      resolve({ state_models: { in: { prices: { state_type: 'delta_update_in', required_connection_arguments: {} } } } }),
    );
    expect(error).toBeInstanceOf(ModelError);
    expect(error.message).toContain("Unknown key 'required_connection_arguments' in state_models.in.prices");
    expect(error.hint).toBe("Did you mean 'required_state_arguments'? 'required_connection_arguments' belongs in connection_models");
    const type = fails(() => resolve({ connection_models: { out: { ask: { state_type: 'requester' } } } }));
    expect(type.hint).toBe("Did you mean 'connection_type'? 'state_type' belongs in state_models");
  });

  it('rejects an unknown side key, suggesting in', () => {
    const error = fails(() => resolve({ connection_models: { inn: {} } }));
    expect(error).toBeInstanceOf(ModelError);
    expect(error.message).toContain("Unknown key 'inn' in connection_models");
    expect(error.hint).toBe("Did you mean 'in'?");
  });

  it('rejects a section or side that is not an object', () => {
    expect(fails(() => resolve({ connection_models: [] })).message).toContain(
      "connection_models must be an object with 'in' and/or 'out'; received an array of 0",
    );
    expect(fails(() => resolve({ state_models: { out: 'x' } })).location.model).toBe('state_models.out');
  });

  it('rejects a model without connection_type, with an example to add', () => {
    const error = fails(() => resolve({ connection_models: { in: { cancel_order: { required_arguments: {} } } } }));
    expect(error).toBeInstanceOf(ModelError);
    expect(error.message).toContain("'connection_type' is missing or not a string (received undefined)");
    expect(error.location.model).toBe('connection_models.in.cancel_order');
    expect(error.hint).toContain("'replyer'");
  });
});

describe('resolveModels: types', () => {
  it('rejects an unknown type with UnknownTypeError listing the known types of that kind', () => {
    const error = fails(() => resolve({ connection_models: { out: { ask: { connection_type: 'requestor' } } } }));
    expect(error).toBeInstanceOf(UnknownTypeError);
    expect(error.code).toBe('SF_UNKNOWN_TYPE');
    expect((error as UnknownTypeError).known).toEqual(['publisher', 'replyer', 'requester', 'subscriber']);
    expect(error.message).toContain("Unknown connection_type 'requestor'");
    expect(error.hint).toBe("Known connection types: publisher, replyer, requester, subscriber. Did you mean 'requester'?");
    expect(error.location.model).toBe('connection_models.out.ask');
  });

  it('reports an unknown state type before a connection without its address: the plugin is the first thing to install', () => {
    const error = fails(() =>
      resolve({
        connection_models: replyerModels({}),
        state_models: { in: { prices: { state_type: 'full_update_in' } } },
        addressesFile: 'addresses.json',
      }),
    );
    expect(error).toBeInstanceOf(UnknownTypeError);
    expect(error.message).toContain("Unknown state_type 'full_update_in'");
    expect(error.location.model).toBe('state_models.in.prices');
  });

  it('rejects an out type declared under in, naming the side to move it to', () => {
    const error = fails(() => resolve({ connection_models: { in: { ask: { connection_type: 'requester' } } } }));
    expect(error).toBeInstanceOf(ModelError);
    expect(error.message).toContain("'requester' is an out connection type but is declared under connection_models.in");
    expect(error.hint).toContain('Move it to connection_models.out');
    expect(error.hint).toContain('replyer');
  });

  it('rejects a state type under connection_models', () => {
    const error = fails(() => resolve({ connection_models: { in: { prices: { connection_type: 'delta_update_in' } } } }));
    expect(error).toBeInstanceOf(UnknownTypeError);
    expect(error.message).toContain("Unknown connection_type 'delta_update_in'");
    expect(error.hint).toContain("'delta_update_in' is a state type: declare it under state_models with state_type");
  });
});

describe('resolveModels: creation and connection arguments', () => {
  it('requires the handler as a Function', () => {
    const missing = fails(() =>
      resolve({ connection_models: { in: { cancel_order: { connection_type: 'replyer' } } }, addresses: replyerAddress }),
    );
    expect(missing).toBeInstanceOf(ValidationError);
    expect(missing.location).toMatchObject({ model: 'connection_models.in.cancel_order', argument: 'creation_arguments.on_new_request' });
    expect(missing.message).toContain('creation_arguments.on_new_request');

    const notFunction = fails(() =>
      resolve({
        connection_models: replyerModels({ required_creation_arguments: { on_new_request: 'handle' } }),
        addresses: replyerAddress,
      }),
    );
    expect(notFunction).toBeInstanceOf(ValidationError);
    expect(notFunction.location.argument).toBe('creation_arguments.on_new_request');
    expect((notFunction as ValidationError).expected).toMatch(/function/i);
    expect((notFunction as ValidationError).received).toBe("string 'handle'");
  });

  it('rejects an unknown creation argument, suggesting the nearest declared one', () => {
    const error = fails(() =>
      resolve({ connection_models: replyerModels({ optional_creation_arguments: { linger_m: 5 } }), addresses: replyerAddress }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.location.argument).toBe('creation_arguments.linger_m');
    expect(error.message).toContain('linger_ms');
  });

  it('rejects a creation argument of the wrong type', () => {
    const error = fails(() =>
      resolve({ connection_models: replyerModels({ optional_creation_arguments: { linger_ms: '5' } }), addresses: replyerAddress }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.location.argument).toBe('creation_arguments.linger_ms');
    expect((error as ValidationError).expected).toMatch(/number/i);
  });

  it('checks connection arguments against the type: missing, unknown and wrong type', () => {
    const model = (extra: Record<string, unknown>) => ({ out: { ask: { connection_type: 'requester', ...extra } } });
    const missing = fails(() => resolve({ connection_models: model({}), addresses: requesterAddress }));
    expect(missing).toBeInstanceOf(ValidationError);
    expect(missing.location).toMatchObject({ model: 'connection_models.out.ask', argument: 'connection_arguments.timeout_ms' });

    const unknown = fails(() =>
      resolve({ connection_models: model({ required_connection_arguments: { timeout_ms: 1, retry: 2 } }), addresses: requesterAddress }),
    );
    expect(unknown.location.argument).toBe('connection_arguments.retry');
    expect(unknown.message).toContain('retries');

    const wrong = fails(() =>
      resolve({ connection_models: model({ required_connection_arguments: { timeout_ms: 'soon' } }), addresses: requesterAddress }),
    );
    expect(wrong).toBeInstanceOf(ValidationError);
    expect(wrong.location.argument).toBe('connection_arguments.timeout_ms');
  });
});

describe('resolveModels: setup_connections / setup_states', () => {
  it('merges setup values over the model values', () => {
    const fromSetup = () => ({ from: 'setup' });
    const [model] = resolve({
      connection_models: replyerModels({ optional_creation_arguments: { linger_ms: 5 } }),
      addresses: replyerAddress,
      setupConnections: { cancel_order: { on_new_request: fromSetup, linger_ms: 50 } },
    });
    expect(model!.creation).toEqual({ on_new_request: fromSetup, linger_ms: 50 });
    expect(model!.handler).toBe(fromSetup);
  });

  it('provides a required handler through setup_connections alone', () => {
    const [model] = resolve({
      connection_models: { in: { cancel_order: { connection_type: 'replyer' } } },
      addresses: replyerAddress,
      setupConnections: { cancel_order: { on_new_request: handler } },
    });
    expect(model!.handler).toBe(handler);
  });

  it('checks the merged values, so a bad setup value is a creation argument error', () => {
    const error = fails(() =>
      resolve({
        connection_models: replyerModels({}),
        addresses: replyerAddress,
        setupConnections: { cancel_order: { linger_ms: 'long' } },
      }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.location.argument).toBe('creation_arguments.linger_ms');
  });

  it('rejects a setup name that is not a model, suggesting the nearest', () => {
    const error = fails(() =>
      resolve({ connection_models: replyerModels({}), addresses: replyerAddress, setupConnections: { cancel_ordr: {} } }),
    );
    expect(error).toBeInstanceOf(ModelError);
    expect(error.message).toContain("setup_connections returned arguments for 'cancel_ordr', which is not a connection model");
    expect(error.hint).toBe("Did you mean 'cancel_order'?");
  });

  it('rejects setup_states for a service without state models', () => {
    const error = fails(() => resolve({ setupStates: { prices: {} } }));
    expect(error).toBeInstanceOf(ModelError);
    expect(error.message).toContain("setup_states returned arguments for 'prices', which is not a state model");
    expect(error.hint).toBe('Declared: none');
  });

  it('rejects setup values that are not an object of arguments', () => {
    const error = fails(() =>
      resolve({ connection_models: replyerModels({}), addresses: replyerAddress, setupConnections: { cancel_order: 3 as never } }),
    );
    expect(error).toBeInstanceOf(ModelError);
    expect(error.message).toContain("'cancel_order' is the number 3");
  });
});

describe('resolveModels: addresses', () => {
  it('rejects a missing socket, naming the addresses file and giving the JSON to add', () => {
    const error = fails(() => resolve({ connection_models: replyerModels({}), addressesFile: 'addresses.json' }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.code).toBe('SF_ADDRESSES_INVALID');
    expect(error.message).toContain("No address for 'replyer' of connections.in.cancel_order");
    expect(error.location).toMatchObject({ service: SERVICE, file: 'addresses.json', model: 'connection_models.in.cancel_order' });
    const json = error.hint!.slice(error.hint!.indexOf('{'));
    expect(JSON.parse(json)).toEqual({ connections: { in: { cancel_order: { replyer: '127.0.0.1:5555' } } } });
  });

  it('names every missing socket of a state', () => {
    const error = fails(() =>
      resolve({
        state_models: { in: { prices: { state_type: 'delta_update_in' } } },
        addresses: addresses(['states', 'in', 'prices', { subscriber: 'h:1' }]),
      }),
    );
    expect(error.message).toContain("No address for 'requester' of states.in.prices");
    expect(error.hint).toContain('"states":{"in":{"prices":{"requester"');
  });

  it('rejects an unknown socket name, suggesting the type socket', () => {
    const error = fails(() =>
      resolve({ connection_models: replyerModels({}), addresses: addresses(['connections', 'in', 'cancel_order', { replier: 'h:1' }]) }),
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain("Unknown socket name 'replier' at connections.in.cancel_order");
    expect(error.hint).toBe("Did you mean 'replyer'?");
  });
});

describe('resolveModels: argument validators', () => {
  it('rejects return arguments on a type that sends no reply', () => {
    const error = fails(() =>
      resolve({
        connection_models: { out: { prices: { connection_type: 'publisher', required_return_arguments: { ok: Boolean } } } },
        addresses: addresses(['connections', 'out', 'prices', { publisher: 'h:1' }]),
      }),
    );
    expect(error).toBeInstanceOf(ModelError);
    expect(error.message).toContain("'publisher' sends no reply, so it cannot declare return arguments");
    expect(error.location.model).toBe('connection_models.out.prices');
  });

  it('compiles args and returns validators that accept valid values and name the bad argument', () => {
    const [model] = resolve({
      connection_models: replyerModels({
        required_arguments: { x: Number, order: { price: String } },
        optional_arguments: { note: String },
        required_return_arguments: { ok: Boolean },
      }),
      addresses: replyerAddress,
    });
    expect(model!.args.check({ x: 1, order: { price: '1.5' } })).toBeUndefined();
    expect(model!.args.check({ x: 1, order: { price: '1.5' }, note: 'n' })).toBeUndefined();

    const bad = model!.args.check({ x: 'one', order: { price: '1.5' } });
    expect(bad).toBeInstanceOf(ValidationError);
    expect(bad!.location).toMatchObject({ service: SERVICE, model: 'connection_models.in.cancel_order', argument: 'args.x' });
    expect(() => model!.args.assert({ x: 1, order: { price: 2 } })).toThrow(/args\.order\.price/);

    expect(model!.returns!.check({ ok: true })).toBeUndefined();
    expect(model!.returns!.check({}))?.toBeInstanceOf(ValidationError);
    expect(model!.returns!.check({})!.location.argument).toBe('return_args.ok');
  });

  it('has no returns validator for a type without a reply', () => {
    const [model] = resolve({
      connection_models: { out: { prices: { connection_type: 'publisher' } } },
      addresses: addresses(['connections', 'out', 'prices', { publisher: 'h:1' }]),
    });
    expect(model!.returns).toBeUndefined();
  });
});

describe('resolveModels: a top-level mapOf(K, V) (dynamic keys)', () => {
  const bookAddress = addresses(['states', 'out', 'bids', { publisher: 'h:1', replyer: 'h:2' }]);

  it('checks a state value and its deltas key by key; null deletes a level only in a delta', () => {
    const [model] = resolve({
      state_models: { out: { bids: { state_type: 'delta_update_out', optional_arguments: mapOf(Decimal, Decimal) } } },
      addresses: bookAddress,
    });
    const level = new Decimal('3');
    expect(model!.args.check({ '101.5': level })).toBeUndefined();
    expect(model!.args.check({ '101.5': null })!.location).toMatchObject({
      service: SERVICE,
      model: 'state_models.out.bids',
      argument: 'state["101.5"]',
    });
    expect(model!.partial!.check({ '101.5': null, '102': level })).toBeUndefined();
    const bad = model!.partial!.check({ '101.5': 3 })!;
    expect(bad).toMatchObject({ expected: 'Decimal or null', received: 'number 3' });
    expect(bad.location.argument).toBe('state["101.5"]');
    expect(model!.partial!.check({ lots: level })!.location.argument).toBe('state["lots"]');
  });

  it('takes a map as return arguments', () => {
    const [model] = resolve({
      connection_models: replyerModels({ required_return_arguments: mapOf(String, Number) }),
      addresses: replyerAddress,
    });
    expect(model!.returns!.check({ AAPL: 1 })).toBeUndefined();
    expect(model!.returns!.check({})!.message).toMatch(/^At least one argument is required/);
  });

  it('rejects a map mixed with declared keys, naming the model', () => {
    const error = fails(() =>
      resolve({
        connection_models: replyerModels({ required_arguments: { symbol: String }, optional_arguments: mapOf(String, Number) }),
        addresses: replyerAddress,
      }),
    );
    expect(error).toBeInstanceOf(ModelError);
    expect(error.message).toMatch(
      /top-level mapOf\(K, V\) is the whole arguments model of args; it cannot be mixed with other declared keys/,
    );
    expect(error.location.model).toBe('connection_models.in.cancel_order');
  });
});
