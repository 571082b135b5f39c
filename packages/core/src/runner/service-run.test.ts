import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeReply, encodeRequest } from '../codec/envelope.js';
import { memoryPlugin } from './memory-plugin.fixture.js';
import { type ServiceFolder, hook, hooks, serviceFolder } from './test-service.fixture.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const MODELS = `
export const connection_models = {
  in: { orders: { connection_type: 'memory_replyer', required_creation_arguments: { on_new_request: ${hook('orders')} }, required_return_arguments: { status: String } } },
  out: {
    ask: { connection_type: 'memory_requester' },
    news: { connection_type: 'memory_publisher', required_arguments: { text: String } },
  },
};
`;

let folder: ServiceFolder;

beforeAll(async () => {
  folder = await serviceFolder({
    'served.mjs': `${MODELS}\nexport const sigint_handler = ${hook('sigint')};\n`,
    'leading.mjs': `
export const connection_models = { out: { news: { connection_type: 'memory_publisher', required_arguments: { text: String } } } };
export const main = ${hook('main')};
export const sigint_handler = ${hook('sigint')};
`,
    'fail-open.mjs': `
export const connection_models = {
  in: { orders: { connection_type: 'memory_replyer', required_creation_arguments: { on_new_request: () => ({}) } } },
  out: { ask: { connection_type: 'memory_requester' }, news: { connection_type: 'memory_publisher', optional_creation_arguments: { fail_open: true } } },
};
`,
  });
});

afterAll(() => folder.remove());

function request(args: Record<string, unknown>) {
  return encodeRequest({ args, workflow_id: 'wf-1' });
}

function tick(ms = 20): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('shutdown', () => {
  it('runs sigint_handler with a working to_send, pauses in endpoints, then closes every endpoint, and exits 0', async () => {
    const seen: unknown[] = [];
    hooks().sigint = async (
      signal: string,
      to_send: (type: string, name: string, args: object) => Promise<object>,
      states: unknown,
      config: unknown,
    ) => {
      seen.push(signal, states, config, await to_send('connection', 'news', { text: 'going down' }));
    };
    const { running, memory } = await folder.start('served.mjs', { extra: { region: 'eu' } });
    expect(memory.events).toEqual(['open ask', 'open news', 'open orders']);

    expect(await running.stop('SIGINT')).toBe(0);
    expect(await running.done).toBe(0);
    expect(seen).toEqual(['SIGINT', {}, { region: 'eu' }, {}]);
    const [sent] = memory.outputs.get('news')!.sent;
    expect(sent!.args).toEqual({ text: 'going down' });
    expect(sent!.workflowId).toMatch(UUID);
    expect(memory.events.slice(3)).toEqual(['send news', 'pause orders', 'close orders', 'close news', 'close ask']);
    expect(memory.inputs.get('orders')!.paused).toBe(true);
  });

  it('shuts down when sigint_handler throws, and only once when stopped twice', async () => {
    hooks().sigint = () => {
      throw new Error('handler failed');
    };
    const { running, memory } = await folder.start('served.mjs');
    const [first, second] = await Promise.all([running.stop('SIGTERM'), running.stop('SIGINT')]);
    expect([first, second]).toEqual([0, 0]);
    expect(await running.stop()).toBe(0);
    expect(memory.events.filter((event) => event.startsWith('close'))).toEqual(['close orders', 'close news', 'close ask']);
  });

  it('waits for in-flight handlers and lets their replies go out before closing', async () => {
    let finish!: () => void;
    hooks().orders = () => new Promise((resolve) => (finish = () => resolve({ status: 'finished' })));
    hooks().sigint = () => undefined;
    const { running, memory } = await folder.start('served.mjs', { graceMs: 10_000 });
    const orders = memory.inputs.get('orders')!;
    const reply = orders.push(request({}));
    const stopped = running.stop('SIGTERM');
    await tick();
    expect(orders.paused).toBe(true);
    expect(orders.closed).toBe(false);
    finish();
    expect(decodeReply((await reply)!).return_args).toEqual({ status: 'finished' });
    expect(await stopped).toBe(0);
    expect(orders.closed).toBe(true);
  });

  it('closes after the grace period when a handler does not finish', async () => {
    hooks().orders = () => new Promise(() => undefined);
    hooks().sigint = () => undefined;
    const { running, memory } = await folder.start('served.mjs', { graceMs: 60 });
    void memory.inputs.get('orders')!.push(request({}));
    const started = Date.now();
    expect(await running.stop('SIGTERM')).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(memory.outputs.get('ask')!.closed).toBe(true);
    expect(memory.inputs.get('orders')!.closed).toBe(true);
  });
});

describe('main mode', () => {
  it('runs main with to_send and config, then stops with 0 without calling sigint_handler', async () => {
    let sigint = false;
    const seen: unknown[] = [];
    hooks().sigint = () => {
      sigint = true;
    };
    hooks().main = async (to_send: (type: string, name: string, args: object) => Promise<object>, config: unknown) => {
      seen.push(config, await to_send('connection', 'news', { text: 'hello' }));
    };
    const { running, memory } = await folder.start('leading.mjs', { mainMode: true, extra: { n: '1' } });
    expect(await running.done).toBe(0);
    expect(seen).toEqual([{ n: '1' }, {}]);
    expect(memory.outputs.get('news')!.sent[0]!.workflowId).toMatch(UUID);
    expect(memory.outputs.get('news')!.closed).toBe(true);
    expect(sigint).toBe(false);
  });

  it('stops with 1 when main throws', async () => {
    hooks().main = async () => {
      throw new Error('main failed');
    };
    const { running, memory } = await folder.start('leading.mjs', { mainMode: true });
    expect(await running.done).toBe(1);
    expect(memory.outputs.get('news')!.closed).toBe(true);
  });
});

describe('start-up failure', () => {
  it('closes the endpoints already opened and the one that failed to open, and rethrows', async () => {
    const memory = memoryPlugin();
    await expect(folder.start('fail-open.mjs', {}, memory)).rejects.toThrow('news failed to open');
    expect(memory.events.slice(0, 2)).toEqual(['open ask', 'open news']);
    expect(memory.events.slice(2).sort()).toEqual(['close ask', 'close news']);
  });
});
