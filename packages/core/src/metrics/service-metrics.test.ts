import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeRequest } from '../codec/envelope.js';
import { PublicError, RequestTimeoutError } from '../errors.js';
import { type ServiceFolder, hook, hooks, serviceFolder } from '../runner/test-service.fixture.js';

const SERVICE = `
export const connection_models = {
  in: {
    orders: { connection_type: 'memory_replyer', required_creation_arguments: { on_new_request: ${hook('orders')} }, required_arguments: { id: Number } },
    news: { connection_type: 'memory_subscriber', required_creation_arguments: { on_new_message: () => undefined } },
  },
  out: {
    ask: { connection_type: 'memory_requester' },
    tell: { connection_type: 'memory_publisher', required_arguments: { text: String } },
  },
};
`;

let folder: ServiceFolder;
beforeAll(async () => {
  folder = await serviceFolder({ 'served.mjs': SERVICE });
});
afterAll(() => folder.remove());

describe('metrics: true', () => {
  it('counts messages, bytes, durations, in-flight calls and failures per endpoint', async () => {
    const { running, memory } = await folder.start('served.mjs', { metrics: true });
    const metrics = running.metrics!;
    expect(metrics.service).toBe('served');
    expect(metrics.endpoints.map((stats) => `${stats.model} ${stats.type}`)).toEqual([
      'connection_models.in.orders memory_replyer',
      'connection_models.in.news memory_subscriber',
      'connection_models.out.ask memory_requester',
      'connection_models.out.tell memory_publisher',
    ]);
    hooks().orders = async (args: { id: number }, to_send: (type: string, name: string, args: object) => Promise<object>) => {
      if (args.id === 2) throw new PublicError('no such order');
      if (args.id === 3) throw new Error('bug');
      await to_send('connection', 'ask', {});
      await to_send('connection', 'tell', { text: 'x' });
      return {};
    };
    const orders = memory.inputs.get('orders')!;
    const frames = [1, 2, 3].map((id) => encodeRequest({ args: { id }, workflow_id: `wf-${id}` }));
    const garbage = new Uint8Array([0xc1]);
    const replies = [];
    for (const frame of [...frames, garbage]) replies.push((await orders.push(frame))!);
    await memory.inputs.get('news')!.push(encodeRequest({ args: {}, workflow_id: null }));

    const stats = metrics.of('connection_models.in.orders')!;
    expect(stats.messagesIn).toBe(4);
    expect(stats.bytesIn).toBe([...frames, garbage].reduce((sum, frame) => sum + frame.byteLength, 0));
    expect(stats.messagesOut).toBe(4);
    expect(stats.bytesOut).toBe(replies.reduce((sum, reply) => sum + reply.byteLength, 0));
    expect(stats.inflight).toBe(0);
    expect(stats.durationCounts.reduce((sum, count) => sum + count, 0)).toBe(4);
    expect(Object.fromEntries(stats.errors)).toEqual({ PublicError: 1, HandlerError: 1, DecodeError: 1 });
    expect(metrics.rejected()).toEqual({ 'connection_models.in.orders': { undecodable: 1 } });
    expect(metrics.of('connection_models.in.news')!.messagesIn).toBe(1);

    const ask = metrics.of('connection_models.out.ask')!;
    expect([ask.messagesOut, ask.messagesIn, ask.inflight]).toEqual([1, 1, 0]);
    // Bytes out are counted when the transport takes the frame (the memory plugin never does; a test reading it does).
    expect(ask.bytesOut).toBe(0);
    const frame = memory.outputs.get('ask')!.sent[0]!.frame();
    expect(ask.bytesOut).toBe(frame.byteLength);
    const tell = metrics.of('connection_models.out.tell')!;
    expect([tell.messagesOut, tell.messagesIn]).toEqual([1, 0]);
    expect(metrics.readiness()).toEqual({ ready: true, waiting: [] });
    await running.stop();
    expect(metrics.readiness().ready).toBe(false);
  });

  it('counts a request that timed out', async () => {
    const { running, memory } = await folder.start('served.mjs', { metrics: true });
    memory.outputs.get('ask')!.reply = () => {
      throw new RequestTimeoutError('no reply', 10);
    };
    hooks().orders = async (_args: object, to_send: (type: string, name: string, args: object) => Promise<object>) => {
      await to_send('connection', 'ask', {});
      return {};
    };
    await memory.inputs.get('orders')!.push(encodeRequest({ args: { id: 1 }, workflow_id: 'wf' }));
    const ask = running.metrics!.of('connection_models.out.ask')!;
    expect([ask.timeouts, ask.inflight, ask.messagesOut]).toEqual([1, 0, 1]);
    await running.stop();
  });

  it('is off by default: no metrics, no stats in the endpoint context', async () => {
    const { running } = await folder.start('served.mjs');
    expect(running.metrics).toBeUndefined();
    await running.stop();
  });
});
