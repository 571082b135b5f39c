import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeReply, encodeRequest } from '../codec/envelope.js';
import { PublicError } from '../errors.js';
import { isPromiseLike } from '../util/is-promise-like.js';
import type { MemoryIn, MemoryPlugin } from './memory-plugin.fixture.js';
import type { RunningService } from './start-service.js';
import { type ServiceFolder, hook, hooks, serviceFolder } from './test-service.fixture.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let folder: ServiceFolder;
let running: RunningService;
let memory: MemoryPlugin;
let orders: MemoryIn;
let news: MemoryIn;

beforeAll(async () => {
  folder = await serviceFolder({
    'server.mjs': `
export const config_model = { required: { greeting: String }, optional: { size: Number } };
export const connection_models = {
  in: {
    orders: {
      connection_type: 'memory_replyer',
      required_creation_arguments: { on_new_request: ${hook('orders')} },
      required_arguments: { order_id: String },
      optional_arguments: { qty: Number },
      required_return_arguments: { status: String },
    },
    news: { connection_type: 'memory_subscriber', required_creation_arguments: { on_new_message: ${hook('news')} }, required_arguments: { text: String } },
  },
  out: { ask: { connection_type: 'memory_requester', required_arguments: { x: Number } } },
};
`,
  });
  ({ running, memory } = await folder.start('server.mjs', { extra: { greeting: 'hi', size: '3' } }));
  orders = memory.inputs.get('orders')!;
  news = memory.inputs.get('news')!;
});

afterAll(async () => {
  await running?.stop();
  await folder.remove();
});

/** Sends a request to `orders` and decodes the reply. */
async function request(args: unknown, workflowId: string | null = 'wf-1') {
  const reply = await orders.push(encodeRequest({ args: args as Record<string, unknown>, workflow_id: workflowId }));
  if (reply === undefined) throw new Error('no reply');
  return decodeReply(reply);
}

describe('inbound messages', () => {
  it('calls the handler with args, to_send, states and config, and replies with its return', async () => {
    const calls: unknown[][] = [];
    hooks().orders = async (...args: unknown[]) => {
      calls.push(args);
      return { status: `done ${(args[0] as { order_id: string }).order_id}` };
    };
    expect(await request({ order_id: 'A1', qty: 2 })).toEqual({ return_args: { status: 'done A1' }, workflow_id: 'wf-1' });
    const [[args, toSend, states, config]] = calls as [[unknown, unknown, unknown, unknown]];
    expect(args).toEqual({ order_id: 'A1', qty: 2 });
    expect(typeof toSend).toBe('function');
    expect(states).toEqual({});
    expect(config).toEqual({ greeting: 'hi', size: 3 });
    expect(config).toBe(running.prepared.config);
  });

  it('gives a message without workflow id a new one, and carries it in the reply', async () => {
    hooks().orders = () => ({ status: 'ok' });
    const reply = await request({ order_id: 'A1' }, null);
    expect(reply.workflow_id).toMatch(UUID);
    expect(reply.return_args).toEqual({ status: 'ok' });
  });

  it("sends the handler's messages with the inbound workflow id, then <id>_1", async () => {
    hooks().orders = async (_args: unknown, to_send: (type: string, name: string, args: object) => Promise<object>) => {
      await to_send('connection', 'ask', { x: 1 });
      await to_send('connection', 'ask', { x: 2 });
      return { status: 'sent' };
    };
    const ask = memory.outputs.get('ask')!;
    const before = ask.sent.length;
    expect((await request({ order_id: 'A1' }, 'wf-send')).return_args).toEqual({ status: 'sent' });
    expect(ask.sent.slice(before).map((message) => [message.args, message.workflowId])).toEqual([
      [{ x: 1 }, 'wf-send'],
      [{ x: 2 }, 'wf-send_1'],
    ]);
  });

  it('answers a frame that cannot be decoded with an error reply', async () => {
    let called = false;
    hooks().orders = () => {
      called = true;
      return { status: 'ok' };
    };
    const reply = decodeReply((await orders.push(new Uint8Array([0xc1, 0x00])))!);
    expect(reply.return_args).toBeNull();
    expect(reply.workflow_id).toBeNull();
    expect(reply.error).toMatchObject({ type: 'DecodeError', code: 'SF_DECODE_FAILED' });
    expect(called).toBe(false);
  });

  it('answers bad args with an error reply naming the argument but not the service file, without calling the handler', async () => {
    let called = false;
    hooks().orders = () => {
      called = true;
      return { status: 'ok' };
    };
    const reply = await request({ order_id: 7 }, 'wf-bad');
    expect(reply.workflow_id).toBe('wf-bad');
    expect(reply.error).toEqual({
      type: 'ValidationError',
      code: 'SF_VALIDATION_FAILED',
      message: 'Value does not match its type: expected String, received number 7 (argument args.order_id)',
    });
    expect(called).toBe(false);
  });

  it('answers a throwing handler with a generic error reply naming the workflow id, and handles the next message', async () => {
    hooks().orders = (args: { order_id: string }) => {
      if (args.order_id === 'boom') throw new TypeError('cannot open /etc/app/key.pem');
      return { status: 'ok' };
    };
    const failed = await request({ order_id: 'boom' }, 'wf-boom');
    expect(failed.return_args).toBeNull();
    expect(failed.error).toEqual({
      type: 'HandlerError',
      code: 'SF_HANDLER_FAILED',
      message: 'The service failed to handle the request (workflow id wf-boom). Its log has the details under this workflow id',
    });
    expect(await request({ order_id: 'next' })).toEqual({ return_args: { status: 'ok' }, workflow_id: 'wf-1' });
  });

  it('answers a handler that throws a PublicError with its type, code and message', async () => {
    class OrderNotFound extends PublicError<'ORDER_NOT_FOUND'> {}
    hooks().orders = async (args: { order_id: string }) => {
      throw new OrderNotFound(`no order ${args.order_id}`, { code: 'ORDER_NOT_FOUND', cause: new Error('row missing in /var/db') });
    };
    const reply = await request({ order_id: 'A9' });
    expect(reply.error).toEqual({ type: 'OrderNotFound', code: 'ORDER_NOT_FOUND', message: 'no order A9' });
  });

  it("answers bad return arguments with a generic error reply: they are the service's fault", async () => {
    hooks().orders = async () => ({ status: 1 });
    const reply = await request({ order_id: 'A1' }, 'wf-ret');
    expect(reply.error).toMatchObject({ type: 'HandlerError', code: 'SF_HANDLER_FAILED' });
    expect(reply.error?.message).toContain('wf-ret');
    expect(reply.error?.message).not.toContain('return_args');
  });

  it('settles at once after a synchronous handler, and only when an async handler has finished', async () => {
    let finish: (() => void) | undefined;
    hooks().news = (args: { text: string }) => {
      if (args.text === 'sync') return undefined;
      return new Promise<void>((resolve) => {
        finish = resolve;
      });
    };
    const states: string[] = [];
    const track = (name: string, pending: Promise<unknown>) => void pending.then(() => states.push(name));
    const handled = news.push(encodeRequest({ args: { text: 'sync' }, workflow_id: null }));
    // No promise: a transport may go on at once.
    expect(handled).toBeUndefined();
    track('sync', Promise.resolve(handled));
    const pending = news.push(encodeRequest({ args: { text: 'async' }, workflow_id: null }));
    expect(isPromiseLike(pending)).toBe(true);
    track('async', Promise.resolve(pending));
    await Promise.resolve();
    await Promise.resolve();
    expect(states).toEqual(['sync']);
    finish?.();
    await expect.poll(() => states).toEqual(['sync', 'async']);
  });

  it('gives no reply for a type without one, also when the handler throws', async () => {
    const seen: unknown[] = [];
    const contexts: unknown[] = [];
    hooks().news = (args: unknown, _toSend: unknown, states: unknown, config: unknown) => {
      seen.push(args);
      contexts.push(states, config);
      if ((args as { text: string }).text === 'bad') throw new Error('bad news');
    };
    expect(await news.push(encodeRequest({ args: { text: 'hello' }, workflow_id: null }))).toBeUndefined();
    expect(await news.push(encodeRequest({ args: { text: 'bad' }, workflow_id: null }))).toBeUndefined();
    expect(await news.push(encodeRequest({ args: { text: 3 } as never, workflow_id: null }))).toBeUndefined();
    expect(await news.push(new Uint8Array([0xc1]))).toBeUndefined();
    expect(seen).toEqual([{ text: 'hello' }, { text: 'bad' }]);
    expect(contexts[0]).toEqual({});
    expect(contexts[1]).toBe(running.prepared.config);
  });
});
