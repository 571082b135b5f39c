// A connection whose args and return args are a top-level mapOf(K, V), through the runner's inbound path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeReply, encodeRequest } from '../codec/envelope.js';
import { mapOf } from '../types/helpers.js';
import type { MemoryIn } from './memory-plugin.fixture.js';
import type { RunningService } from './start-service.js';
import { type ServiceFolder, hook, hooks, serviceFolder } from './test-service.fixture.js';

const MODELS_KEY = '__sfMapArgumentsModels';

let folder: ServiceFolder;
let running: RunningService;
let prices: MemoryIn;

beforeAll(async () => {
  // The service file reads its models from here: a temp folder cannot import @sf/core's helpers.
  (globalThis as Record<string, unknown>)[MODELS_KEY] = { args: mapOf(String, Number), returns: mapOf(String, Number) };
  folder = await serviceFolder({
    'server.mjs': `
const models = globalThis.${MODELS_KEY};
export const connection_models = {
  in: {
    prices: {
      connection_type: 'memory_replyer',
      required_creation_arguments: { on_new_request: ${hook('prices')} },
      required_arguments: models.args,
      optional_return_arguments: models.returns,
    },
  },
};
`,
  });
  const started = await folder.start('server.mjs');
  running = started.running;
  prices = started.memory.inputs.get('prices')!;
});

afterAll(async () => {
  await running?.stop();
  await folder.remove();
});

async function request(args: Record<string, unknown>) {
  const reply = await prices.push(encodeRequest({ args, workflow_id: 'wf-1' }));
  if (reply === undefined) throw new Error('no reply');
  return decodeReply(reply);
}

describe('a top-level mapOf(K, V) as args and return args', () => {
  it('hands the handler the map and replies with a map', async () => {
    hooks().prices = (args: Record<string, number>) =>
      Object.fromEntries(Object.entries(args).map(([symbol, price]) => [symbol, price * 2]));
    expect(await request({ AAPL: 1, MSFT: 2.5 })).toEqual({ return_args: { AAPL: 2, MSFT: 5 }, workflow_id: 'wf-1' });
  });

  it("answers a bad entry, or none, with an error reply naming the key; a bad reply entry is the service's fault", async () => {
    let calls = 0;
    hooks().prices = () => {
      calls++;
      return { AAPL: 'high' };
    };
    const bad = await request({ AAPL: 1, MSFT: 'x' });
    expect(bad.error?.type).toBe('ValidationError');
    expect(bad.error?.message).toContain('argument args["MSFT"]');
    expect((await request({})).error?.message).toMatch(/^At least one argument is required/);
    expect(calls).toBe(0);
    const badReply = await request({ AAPL: 1 });
    // Bad return arguments are the service's own fault: the peer gets the generic HandlerError.
    expect(badReply.error).toMatchObject({ type: 'HandlerError', code: 'SF_HANDLER_FAILED' });
    expect(calls).toBe(1);
  });
});
