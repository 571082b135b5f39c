import { describe, expectTypeOf, it } from 'vitest';
import { Decimal } from '../types/decimal.js';
import { mapOf, nullable, oneOf, optional, setOf, tupleOf } from '../types/helpers.js';
import { UUID } from '../types/uuid.js';
import { defineService, type ServiceDefinition } from './define-service.js';

describe('defineService inference', () => {
  it('types handler args, to_send, states and config from the models', () => {
    const service = defineService({
      config_model: { required: { symbol: String }, optional: { depth: Number } },
      connection_models: {
        in: {
          cancel_order: {
            connection_type: 'replyer',
            required_arguments: { order_id: String, price: Decimal },
            optional_arguments: { tags: [String] },
            required_return_arguments: { ok: Boolean },
            optional_return_arguments: { reason: String },
            required_creation_arguments: {
              on_new_request: async (args, to_send, states, config) => {
                expectTypeOf(args).toEqualTypeOf<{ order_id: string; price: Decimal; tags?: string[] }>();
                expectTypeOf(states.market_price).toEqualTypeOf<{ bid: Decimal; when: Date }>();
                expectTypeOf(config.symbol).toEqualTypeOf<string>();
                expectTypeOf(config.depth).toEqualTypeOf<number | undefined>();
                const placed = await to_send('connection', 'place_order', { side: 'buy', qty: 1 });
                expectTypeOf(placed).toEqualTypeOf<{ id: UUID }>();
                const published = await to_send('connection', 'prices', { px: new Decimal(1) });
                expectTypeOf(published).toEqualTypeOf<Record<string, never>>();
                await to_send('state', 'position', { size: new Decimal(0) });
                // @ts-expect-error wrong out name
                await to_send('connection', 'no_such_connection', {});
                // @ts-expect-error an in connection is not an out name
                await to_send('connection', 'cancel_order', { order_id: 'x', price: new Decimal(1) });
                // @ts-expect-error wrong argument type
                await to_send('connection', 'place_order', { side: 'hold', qty: 1 });
                // @ts-expect-error wrong argument name
                await to_send('connection', 'place_order', { side: 'buy', qtty: 1 });
                // @ts-expect-error missing required argument
                await to_send('connection', 'place_order', { side: 'buy' });
                // @ts-expect-error state names are not connection names
                await to_send('connection', 'position', { size: new Decimal(0) });
                return { ok: true };
              },
            },
          },
          ticks: {
            connection_type: 'subscriber',
            required_arguments: { book: mapOf(Decimal, Decimal), seen: setOf(String), pair: tupleOf(String, Number) },
            optional_arguments: { note: nullable(String), nested: { a: Number, b: optional(String) } },
            required_creation_arguments: {
              topic: 'ticks',
              on_new_message(args) {
                expectTypeOf(args.book).toEqualTypeOf<Map<Decimal, Decimal> | Record<string, Decimal>>();
                expectTypeOf(args.seen).toEqualTypeOf<Set<string>>();
                expectTypeOf(args.pair).toEqualTypeOf<[string, number]>();
                expectTypeOf(args.note).toEqualTypeOf<string | null | undefined>();
                expectTypeOf(args.nested).toEqualTypeOf<{ a: number; b?: string } | undefined>();
              },
            },
          },
        },
        out: {
          place_order: {
            connection_type: 'requester',
            required_arguments: { side: oneOf('buy', 'sell'), qty: Number },
            required_return_arguments: { id: UUID },
          },
          prices: { connection_type: 'publisher', required_arguments: { px: Decimal }, required_return_arguments: null },
        },
      },
      state_models: {
        in: {
          market_price: {
            state_type: 'full_update_in',
            required_arguments: { bid: Decimal, when: Date },
            optional_creation_arguments: {
              on_update: (value) => {
                expectTypeOf(value).toEqualTypeOf<{ bid: Decimal; when: Date }>();
              },
            },
          },
        },
        out: { position: { state_type: 'full_update_out', required_arguments: { size: Decimal } } },
      },
      main: async (to_send, config) => {
        expectTypeOf(config.symbol).toEqualTypeOf<string>();
        await to_send('connection', 'place_order', { side: 'sell', qty: 2 });
      },
      sigint_handler: (signal, to_send, states) => {
        expectTypeOf(signal).toEqualTypeOf<NodeJS.Signals>();
        expectTypeOf(states.market_price.bid).toEqualTypeOf<Decimal>();
        void to_send('state', 'position', { size: new Decimal(1) });
      },
      setup_connections: () => ({ ticks: { topic: 'other' } }),
    });
    expectTypeOf(service).toExtend<ServiceDefinition>();
  });

  it('rejects a handler reply that breaks the return arguments', () => {
    defineService({
      connection_models: {
        in: {
          echo: {
            connection_type: 'replyer',
            required_arguments: { text: String },
            required_return_arguments: { text: String },
            // @ts-expect-error the reply lacks `text`
            required_creation_arguments: { on_new_request: (args) => ({ txt: args.text }) },
          },
        },
      },
    });
  });

  it('rejects an unknown model key and a non-type argument spec', () => {
    defineService({
      connection_models: {
        out: {
          // @ts-expect-error misspelt model key
          send: { connection_type: 'requester', required_argument: { a: String } },
        },
      },
    });
    defineService({
      connection_models: {
        // @ts-expect-error 'str' is not a type
        out: { send: { connection_type: 'requester', required_arguments: { a: 'str' } } },
      },
    });
  });

  it('without out models to_send accepts no name, and empty models give empty args', () => {
    defineService({
      connection_models: {
        in: {
          ping: {
            connection_type: 'replyer',
            required_creation_arguments: {
              on_new_request: (args, to_send) => {
                expectTypeOf(args).toEqualTypeOf<Record<string, never>>();
                // @ts-expect-error no out connections
                void to_send('connection', 'anything', {});
              },
            },
          },
        },
      },
    });
  });
});

describe('setup functions', () => {
  it('may return nothing or a value', () => {
    defineService({
      setup_config: () => {},
      setup_addresses: (addresses) => addresses,
      connection_models: { out: { a: { connection_type: 'requester' } } },
      setup_connections: () => ({ a: { timeout_s: 1 } }),
    });
    defineService({
      connection_models: { out: { a: { connection_type: 'requester' } } },
      // @ts-expect-error names only the service's models
      setup_connections: () => ({ b: { timeout_s: 1 } }),
    });
  });
});

describe('to_send for out states', () => {
  it('takes a delta or a snapshot for delta_update_out, and the whole value for other state types', () => {
    defineService({
      state_models: {
        out: {
          book: { state_type: 'delta_update_out', required_arguments: { bid: Decimal, ask: Decimal } },
          price: { state_type: 'full_update_out', required_arguments: { last: Decimal } },
        },
      },
      main: async (to_send) => {
        await to_send('state', 'book', { state: { bid: new Decimal(1) } });
        await to_send('state', 'book', { state: { ask: null } });
        await to_send('state', 'book', { state: { bid: new Decimal(1), ask: new Decimal(2) }, is_snapshot: true });
        // @ts-expect-error a snapshot must hold every required key
        await to_send('state', 'book', { state: { bid: new Decimal(1) }, is_snapshot: true });
        // @ts-expect-error a delta's keys are the state's keys
        await to_send('state', 'book', { state: { last: new Decimal(1) } });
        // @ts-expect-error a delta state takes { state, is_snapshot }, not the value itself
        await to_send('state', 'book', { bid: new Decimal(1), ask: new Decimal(2) });
        await to_send('state', 'price', { last: new Decimal(3) });
        // @ts-expect-error a full state takes the whole value
        await to_send('state', 'price', { state: { last: new Decimal(3) } });
      },
    });
  });
});

describe('a top-level mapOf(K, V) model (dynamic keys)', () => {
  it('types handler args, states, to_send args and replies as Record<string, V>', () => {
    defineService({
      connection_models: {
        in: {
          prices: {
            connection_type: 'replyer',
            required_arguments: mapOf(String, Decimal),
            optional_return_arguments: mapOf(Decimal, Number),
            required_creation_arguments: {
              on_new_request: (args, _to_send, states) => {
                expectTypeOf(args).toEqualTypeOf<Record<string, Decimal>>();
                expectTypeOf(states.bids).toEqualTypeOf<Record<string, Decimal>>();
                return { '1.5': 1 };
              },
            },
          },
          wrong_reply: {
            connection_type: 'replyer',
            optional_return_arguments: mapOf(Decimal, Number),
            required_creation_arguments: {
              // @ts-expect-error a reply value must be a V
              on_new_request: () => ({ '1.5': 'one' }),
            },
          },
        },
        out: {
          quotes: {
            connection_type: 'requester',
            optional_arguments: mapOf(String, Number),
            required_return_arguments: mapOf(String, nullable(Number)),
          },
        },
      },
      state_models: {
        in: { bids: { state_type: 'delta_update_in', optional_arguments: mapOf(Decimal, Decimal) } },
        out: {
          asks: { state_type: 'delta_update_out', optional_arguments: mapOf(Decimal, Decimal) },
          last: { state_type: 'full_update_out', required_arguments: mapOf(String, Decimal) },
        },
      },
      main: async (to_send) => {
        const reply = await to_send('connection', 'quotes', { AAPL: 1, MSFT: 2 });
        expectTypeOf(reply).toEqualTypeOf<Record<string, number | null>>();
        // @ts-expect-error every value must be a V
        await to_send('connection', 'quotes', { AAPL: 'one' });
        await to_send('state', 'asks', { state: { '101.50': new Decimal(3), '101.75': null } });
        await to_send('state', 'asks', { state: { '101.50': new Decimal(3) }, is_snapshot: true });
        // @ts-expect-error a snapshot has no null (deleted) levels
        await to_send('state', 'asks', { state: { '101.50': null }, is_snapshot: true });
        // @ts-expect-error a delta's values are V or null
        await to_send('state', 'asks', { state: { '101.50': 3 } });
        await to_send('state', 'last', { BTC: new Decimal(64000) });
      },
    });
  });
});
