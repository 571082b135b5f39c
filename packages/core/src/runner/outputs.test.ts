import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeRequest, encodeReply } from '../codec/envelope.js';
import { topicPrefix } from '../codec/topic.js';
import { RemoteError, type SfError, ServiceStateError, ValidationError } from '../errors.js';
import type { OutboundMessage } from '../plugin/contract.js';
import { type MemoryOut, type MemoryPlugin, memoryPlugin } from './memory-plugin.fixture.js';
import { type ServiceFolder, hook, hooks, serviceFolder } from './test-service.fixture.js';

type ToSend = (type: string, name: string, args?: Record<string, unknown>) => Promise<Record<string, unknown>>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let folder: ServiceFolder;

beforeAll(async () => {
  folder = await serviceFolder({
    'sender.mjs': `
export const connection_models = {
  out: {
    ask: { connection_type: 'memory_requester', required_arguments: { x: Number }, optional_arguments: { note: String }, required_return_arguments: { ok: Boolean } },
    ping: { connection_type: 'memory_requester' },
    news: { connection_type: 'memory_publisher', required_arguments: { text: String } },
  },
};
export const main = ${hook('main')};
`,
  });
});

afterAll(() => folder.remove());

/**
 * Runs `body` as the service's `main` in main mode and returns its result (or throws its error),
 * with the memory plugin and the exit code. `body` may set replies on the out endpoints first.
 */
async function inMain<T>(body: (to_send: ToSend, out: (name: string) => MemoryOut) => Promise<T>) {
  const memory: MemoryPlugin = memoryPlugin();
  let result: { value: T } | { error: unknown } | undefined;
  hooks().main = async (to_send: ToSend) => {
    try {
      result = { value: await body(to_send, (name) => memory.outputs.get(name)!) };
    } catch (error) {
      result = { error };
    }
  };
  const { running } = await folder.start('sender.mjs', { mainMode: true }, memory);
  const exitCode = await running.done;
  if (result === undefined) throw new Error('main did not run');
  if ('error' in result) throw result.error;
  return { value: result.value, memory, exitCode };
}

const okReply = (message: OutboundMessage) => encodeReply({ return_args: { ok: true }, workflow_id: message.workflowId });

async function rejection(promise: Promise<unknown>): Promise<SfError> {
  try {
    await promise;
  } catch (error) {
    return error as SfError;
  }
  throw new Error('expected a rejection');
}

describe('to_send: the message handed to the endpoint', () => {
  it('packs the envelope straight after a topic prefix: the same bytes as the prefix before its frame, before or after the plain frame was encoded', async () => {
    const { memory } = await inMain(async (to_send) => to_send('connection', 'news', { text: 'up' }));
    const [message] = memory.outputs.get('news')!.sent;
    const prefix = topicPrefix('prices');
    const framed = message!.frame(prefix);
    expect(Buffer.from(framed.subarray(0, prefix.length)).equals(Buffer.from(prefix))).toBe(true);
    expect(decodeRequest(framed, prefix)).toEqual({ args: { text: 'up' }, workflow_id: message!.workflowId });
    const plain = message!.frame();
    expect(message!.frame()).toBe(plain);
    expect(Buffer.from(message!.frame(prefix)).equals(Buffer.concat([prefix, plain]))).toBe(true);
    expect(Buffer.from(framed).equals(Buffer.concat([prefix, plain]))).toBe(true);
    expect(message!.frame(new Uint8Array(0))).toBe(plain);
  });
});

describe('to_send: arguments and replies', () => {
  it('sends valid args and resolves to the checked return arguments of the reply frame', async () => {
    const { value, memory, exitCode } = await inMain(async (to_send, out) => {
      out('ask').reply = okReply;
      return to_send('connection', 'ask', { x: 1, note: 'hi' });
    });
    expect(exitCode).toBe(0);
    expect(value).toEqual({ ok: true });
    const [message] = memory.outputs.get('ask')!.sent;
    expect(message!.args).toEqual({ x: 1, note: 'hi' });
  });

  it('accepts a reply given as an object by a transport without frames', async () => {
    const { value } = await inMain(async (to_send, out) => {
      out('ask').reply = () => ({ return_args: { ok: false } });
      return to_send('connection', 'ask', { x: 1 });
    });
    expect(value).toEqual({ ok: false });
  });

  it('resolves to {} for a type without a reply, and for a reply without return_args', async () => {
    const { value, memory } = await inMain(async (to_send, out) => {
      out('ping').reply = (message) => encodeReply({ return_args: null, workflow_id: message.workflowId });
      return [await to_send('connection', 'news', { text: 'up' }), await to_send('connection', 'ping')];
    });
    expect(value).toEqual([{}, {}]);
    expect(memory.outputs.get('news')!.sent.map((message) => message.args)).toEqual([{ text: 'up' }]);
  });

  it('rejects bad args with a ValidationError naming the argument, sending nothing', async () => {
    const { value, memory } = await inMain(async (to_send) => rejection(to_send('connection', 'ask', { x: 'one' })));
    expect(value).toBeInstanceOf(ValidationError);
    expect(value.location).toMatchObject({ model: 'connection_models.out.ask', argument: 'args.x' });
    expect(memory.outputs.get('ask')!.sent).toEqual([]);
    expect(memory.events).not.toContain('send ask');
  });

  it('rejects an error reply with a RemoteError carrying the peer error type', async () => {
    const { value } = await inMain(async (to_send, out) => {
      out('ask').reply = (message) =>
        encodeReply({
          return_args: null,
          workflow_id: message.workflowId,
          error: { type: 'ValidationError', message: 'args.id is missing' },
        });
      return rejection(to_send('connection', 'ask', { x: 1 }));
    });
    expect(value).toBeInstanceOf(RemoteError);
    expect(value.code).toBe('SF_REMOTE_ERROR');
    expect((value as RemoteError).remoteType).toBe('ValidationError');
    expect(value.message).toContain('The peer answered with ValidationError: args.id is missing');
    expect(value.location.model).toBe('connection_models.out.ask');
  });

  it('rejects return arguments that do not match the model', async () => {
    const { value } = await inMain(async (to_send, out) => {
      out('ask').reply = (message) => encodeReply({ return_args: { ok: 'yes' }, workflow_id: message.workflowId });
      return rejection(to_send('connection', 'ask', { x: 1 }));
    });
    expect(value).toBeInstanceOf(ValidationError);
    expect(value.location.argument).toBe('return_args.ok');
  });
});

describe('to_send: outputs and workflow ids', () => {
  it('gives the first message the workflow id and the n-th after it <id>_<n> (second: <id>_1)', async () => {
    const { memory } = await inMain(async (to_send, out) => {
      out('ask').reply = okReply;
      await to_send('connection', 'ask', { x: 1 });
      await to_send('connection', 'news', { text: 'a' });
      await to_send('connection', 'ask', { x: 2 });
    });
    const ask = memory.outputs.get('ask')!.sent;
    const news = memory.outputs.get('news')!.sent;
    const id = ask[0]!.workflowId!;
    expect(id).toMatch(UUID);
    expect(news[0]!.workflowId).toBe(`${id}_1`);
    expect(ask[1]!.workflowId).toBe(`${id}_2`);
  });

  it('puts the args and workflow id in the encoded request frame', async () => {
    const { memory } = await inMain(async (to_send, out) => {
      out('ask').reply = okReply;
      return to_send('connection', 'ask', { x: 5 });
    });
    const [message] = memory.outputs.get('ask')!.sent;
    expect(decodeRequest(message!.frame())).toEqual({ args: { x: 5 }, workflow_id: message!.workflowId });
  });

  it('rejects an unknown output name with SF_UNKNOWN_OUTPUT, suggesting the nearest', async () => {
    const { value } = await inMain(async (to_send) => rejection(to_send('connection', 'aks', { x: 1 })));
    expect(value).toBeInstanceOf(ServiceStateError);
    expect(value.code).toBe('SF_UNKNOWN_OUTPUT');
    expect(value.message).toContain("to_send: no out connection named 'aks'");
    expect(value.hint).toBe("Did you mean 'ask'?");
  });

  it('rejects an output type other than connection or state, and a state name without state models', async () => {
    const { value } = await inMain(async (to_send) => [
      await rejection(to_send('conection', 'ask', {})),
      await rejection(to_send('state', 'ask', {})),
    ]);
    const [badType, noState] = value;
    expect(badType!.code).toBe('SF_UNKNOWN_OUTPUT');
    expect(badType!.message).toContain(`output_type must be 'connection' or 'state', not "conection"`);
    expect(noState!.code).toBe('SF_UNKNOWN_OUTPUT');
    expect(noState!.hint).toBe('Declare it under state_models.out');
  });
});
