import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpReceiver, receiveTraces } from './otlp-receiver.js';
import { spansOfExport } from './otlp-json.js';
import { TraceStore } from './trace-store.js';

const TRACE = 'ab'.repeat(16);
/** One OTLP JSON span. */
const span = (spanId: string, extra: Record<string, unknown> = {}) => ({
  traceId: TRACE,
  spanId,
  name: `span ${spanId}`,
  kind: 2,
  startTimeUnixNano: '1700000000000000000',
  endTimeUnixNano: '1700000000001500000',
  attributes: [{ key: 'sf.workflow_id', value: { stringValue: 'wf-1' } }],
  ...extra,
});
const body = (spans: unknown[]) => ({
  resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] }, scopeSpans: [{ spans }] }],
});

let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await receiveTraces({ host: '127.0.0.1', port: 0 });
});
afterAll(() => receiver.close());

const post = (text: string, type = 'application/json') =>
  fetch(receiver.url, { method: 'POST', headers: { 'content-type': type }, body: text }).then((response) => response.status);

describe('the OTLP/HTTP JSON receiver', () => {
  it('keeps the spans of an export, and skips malformed ones instead of failing the request', async () => {
    const good = span('00000000000000a1', { parentSpanId: '00000000000000a0', status: { code: 2, message: 'boom' } });
    const bad = [span('xyz'), { ...span('00000000000000a2'), startTimeUnixNano: 'soon' }, null, 42];
    expect(await post(JSON.stringify(body([good, ...bad])))).toBe(200);
    const [kept] = receiver.store.trace(TRACE);
    expect(kept).toMatchObject({ service: 'svc', kind: 'server', parentSpanId: '00000000000000a0', error: true, statusMessage: 'boom' });
    expect(kept!.endMs - kept!.startMs).toBeCloseTo(1.5, 6);
    expect(receiver.store.trace(TRACE)).toHaveLength(1);
  });

  it('answers what it does not take with a status, not a crash: not JSON, protobuf, another path, too large', async () => {
    expect(await post('{not json')).toBe(400);
    expect(await post('\x0a\x00', 'application/x-protobuf')).toBe(415);
    expect((await fetch(receiver.url.replace('/v1/traces', '/other'), { method: 'POST', body: '{}' })).status).toBe(404);
    expect(await post(JSON.stringify({ pad: 'x'.repeat(9 * 1024 * 1024) })).catch(() => 413)).toBe(413);
    // (The body is cut off: the client sees 413 or a reset connection.) The receiver still serves.
    expect(await post(JSON.stringify(body([])))).toBe(200);
    expect(spansOfExport({ resourceSpans: 'nope' })).toEqual([]);
  });

  it('answers 421 to a request whose Host names another machine (DNS rebinding), and takes nothing from it', async () => {
    const before = receiver.store.trace(TRACE).length;
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const url = new URL(receiver.url);
      const text = JSON.stringify(body([span('00000000000000b1')]));
      const sent = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { host: 'evil.example', 'content-type': 'application/json' },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode);
        },
      );
      sent.on('error', reject);
      sent.end(text);
    });
    expect(status).toBe(421);
    expect(receiver.store.trace(TRACE)).toHaveLength(before);
  });
});

describe('TraceStore', () => {
  it('keeps at most maxTraces traces (the oldest go) and maxSpansPerTrace spans each; finds traces by workflow id prefix', () => {
    const store = new TraceStore({ maxTraces: 2, maxSpansPerTrace: 2 });
    const make = (traceId: string, spanId: string, workflow: string) =>
      spansOfExport(body([{ ...span(spanId), traceId, attributes: [{ key: 'sf.workflow_id', value: { stringValue: workflow } }] }]));
    store.add(make('1'.repeat(32), '1'.repeat(16), 'wf-a'));
    store.add(make('2'.repeat(32), '2'.repeat(16), 'wf-b'));
    store.add(make('2'.repeat(32), '3'.repeat(16), 'wf-b_1'));
    store.add(make('2'.repeat(32), '4'.repeat(16), 'wf-b_2'));
    store.add(make('3'.repeat(32), '5'.repeat(16), 'wf-c'));
    expect(store.list().map((trace) => trace.traceId[0])).toEqual(expect.arrayContaining(['2', '3']));
    expect(store.list()).toHaveLength(2);
    expect(store.trace('2'.repeat(32))).toHaveLength(2);
    expect(store.list('wf-b').map((trace) => trace.workflowIds)).toEqual([['wf-b', 'wf-b_1']]);
    expect(store.list('wf-a')).toEqual([]);
  });
});
