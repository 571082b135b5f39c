import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeReply, encodeRequest } from '../codec/envelope.js';
import type { ReplyError } from '../codec/envelope.js';
import { PublicError } from '../errors.js';
import type { ServiceTracer, SpanOperation, SpanSubject, TraceSpan } from '../tracing/tracer.js';
import type { MemoryPlugin } from './memory-plugin.fixture.js';
import type { RunningService } from './start-service.js';
import { type ServiceFolder, hook, hooks, serviceFolder } from './test-service.fixture.js';

/** One span the recording tracer started. */
interface Recorded {
  operation: SpanOperation;
  subject: SpanSubject;
  workflowId: string | null;
  parent: string | undefined;
  traceparent: string;
  ended: number;
  error?: ReplyError;
}

/** A tracer that records what the runner asks of it: the hook contract, without OpenTelemetry. */
function recordingTracer(): ServiceTracer & { spans: Recorded[] } {
  const spans: Recorded[] = [];
  return {
    spans,
    start(operation, subject, workflowId, parent) {
      const record: Recorded = {
        operation,
        subject,
        workflowId,
        parent: typeof parent === 'string' || parent === undefined ? parent : parent.traceparent,
        traceparent: `00-${'a'.repeat(32)}-${String(spans.length + 1).padStart(16, '0')}-01`,
        ended: 0,
      };
      spans.push(record);
      const span: TraceSpan = {
        traceparent: record.traceparent,
        end(error) {
          record.ended += 1;
          if (error !== undefined) record.error = error;
        },
      };
      return span;
    },
    shutdown: async () => {},
  };
}

const REMOTE = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
let folder: ServiceFolder;
let running: RunningService;
let memory: MemoryPlugin;
let tracer: ReturnType<typeof recordingTracer>;

beforeAll(async () => {
  folder = await serviceFolder({
    'traced.mjs': `
export const connection_models = {
  in: {
    orders: {
      connection_type: 'memory_replyer',
      required_creation_arguments: { on_new_request: ${hook('orders')} },
      required_arguments: { order_id: String },
    },
  },
  out: { ask: { connection_type: 'memory_requester', required_arguments: { x: Number } } },
};
`,
  });
  tracer = recordingTracer();
  ({ running, memory } = await folder.start('traced.mjs', { createTracer: async () => tracer }));
});

afterAll(async () => {
  await running?.stop();
  await folder.remove();
});

describe('spans from the runner (tracing on)', () => {
  it('a handler run is a child of the traceparent it came with; its to_send a child of the run, carrying its own traceparent', async () => {
    tracer.spans.length = 0;
    hooks().orders = async (_args: unknown, toSend: (t: string, n: string, a: unknown) => Promise<unknown>) => {
      await toSend('connection', 'ask', { x: 1 });
      return {};
    };
    const frame = encodeRequest({ args: { order_id: 'A' }, workflow_id: 'wf-9', trace: REMOTE });
    const reply = decodeReply((await memory.inputs.get('orders')!.push(frame))!);
    expect(reply.error).toBeUndefined();
    const [handle, send] = tracer.spans;
    expect(handle).toMatchObject({ operation: 'handle', workflowId: 'wf-9', parent: REMOTE, ended: 1 });
    expect(handle!.subject).toEqual({ service: 'traced', model: 'connection_models.in.orders', type: 'memory_replyer', replies: true });
    expect(send).toMatchObject({ operation: 'send', workflowId: 'wf-9', parent: handle!.traceparent, ended: 1 });
    expect(send!.subject.model).toBe('connection_models.out.ask');
    const sent = memory.outputs.get('ask')!.sent.at(-1)!;
    expect(sent.trace).toBe(send!.traceparent);
    expect(Buffer.from(sent.frame()).includes(Buffer.from(send!.traceparent))).toBe(true);
  });

  it('a failing handler ends its span once with the type and code the peer is told', async () => {
    tracer.spans.length = 0;
    hooks().orders = () => {
      throw new PublicError('no stock left', { code: 'SF_OUT_OF_STOCK' });
    };
    const reply = decodeReply((await memory.inputs.get('orders')!.push(encodeRequest({ args: { order_id: 'B' }, workflow_id: 'wf-e' })))!);
    expect(tracer.spans).toHaveLength(1);
    expect(tracer.spans[0]).toMatchObject({ operation: 'handle', parent: undefined, ended: 1, error: reply.error });
    expect(reply.error?.code).toBe('SF_OUT_OF_STOCK');
  });

  it('bad arguments end the span as failed with ValidationError; a throwing handler with HandlerError (no exception text)', async () => {
    tracer.spans.length = 0;
    await memory.inputs.get('orders')!.push(encodeRequest({ args: { order_id: 5 }, workflow_id: 'wf-v' }));
    hooks().orders = () => {
      throw new Error('secret detail');
    };
    await memory.inputs.get('orders')!.push(encodeRequest({ args: { order_id: 'C' }, workflow_id: 'wf-h' }));
    expect(tracer.spans.map((span) => [span.ended, span.error?.type, span.error?.code])).toEqual([
      [1, 'ValidationError', 'SF_VALIDATION_FAILED'],
      [1, 'HandlerError', 'SF_HANDLER_FAILED'],
    ]);
    expect(JSON.stringify(tracer.spans[1]!.error)).not.toContain('secret detail');
  });
});
