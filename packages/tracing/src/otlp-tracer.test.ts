import type { SpanSubject } from '@sf/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpReceiver, receiveTraces } from './collector.js';
import { createOtlpTracer, tracesUrl } from './otlp-tracer.js';
import { parseTraceparent } from './traceparent.js';

const replyer: SpanSubject = { service: 'pricer', model: 'connection_models.in.price', type: 'replyer', replies: true };
const requester: SpanSubject = { service: 'pricer', model: 'connection_models.out.rates', type: 'requester', replies: true };
const stateOut: SpanSubject = { service: 'pricer', model: 'state_models.out.book', type: 'delta_update_out', replies: false };
const REMOTE = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await receiveTraces({ host: '127.0.0.1', port: 0 });
});
afterAll(() => receiver.close());

describe('createOtlpTracer', () => {
  it('exports spans over OTLP/HTTP JSON with parents, kinds, attributes and the error a peer is told', async () => {
    const tracer = createOtlpTracer({ service: 'pricer', url: receiver.url });
    const handle = tracer.start('handle', replyer, 'wf-1', REMOTE);
    const send = tracer.start('send', requester, 'wf-1', handle);
    send.end({ type: 'RequestTimeoutError', code: 'SF_REQUEST_TIMEOUT', message: 'no reply within 100 ms' });
    const write = tracer.start('send', stateOut, 'wf-1_1', handle);
    write.end();
    handle.end();
    handle.end(); // a second end is ignored
    expect(parseTraceparent(send.traceparent)?.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    await tracer.shutdown();
    const spans = receiver.store.trace('4bf92f3577b34da6a3ce929d0e0e4736');
    const byName = new Map(spans.map((span) => [span.name, span]));
    const h = byName.get('handle connection_models.in.price');
    const s = byName.get('send connection_models.out.rates');
    const w = byName.get('write state_models.out.book');
    expect([h?.kind, s?.kind, w?.kind, h?.service]).toEqual(['server', 'client', 'producer', 'pricer']);
    expect(h!.parentSpanId).toBe('00f067aa0ba902b7');
    expect(s!.parentSpanId).toBe(h!.spanId);
    expect(w!.parentSpanId).toBe(h!.spanId);
    expect(h!.attributes).toMatchObject({
      'sf.workflow_id': 'wf-1',
      'sf.service': 'pricer',
      'sf.model': 'connection_models.in.price',
      'sf.connection_type': 'replyer',
    });
    expect(s).toMatchObject({ error: true, statusMessage: 'no reply within 100 ms' });
    expect(s!.attributes).toMatchObject({ 'error.type': 'RequestTimeoutError', 'sf.error.code': 'SF_REQUEST_TIMEOUT' });
    expect(h!.error).toBe(false);
    // Each span anchors its clock on Date.now() when it starts, so times of two spans agree to 1 ms.
    expect(h!.startMs).toBeLessThanOrEqual(s!.startMs + 1);
    expect(h!.endMs).toBeGreaterThanOrEqual(w!.endMs - 1);
  });

  it('starts a new trace for a bad traceparent, and sampling 0 records nothing but still passes the context on', async () => {
    const tracer = createOtlpTracer({ service: 's', url: receiver.url, sampling: 0 });
    const span = tracer.start('handle', replyer, 'wf-2', 'not-a-traceparent');
    expect(span.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    span.end();
    // A sampled caller's trace is kept whatever the ratio (parent-based).
    const child = tracer.start('handle', replyer, 'wf-3', '00-11111111111111111111111111111111-2222222222222222-01');
    child.end();
    await tracer.shutdown();
    expect(receiver.store.list('wf-2')).toEqual([]);
    expect(receiver.store.list('wf-3')).toHaveLength(1);
  });

  it('reads only valid traceparents', () => {
    expect(parseTraceparent(REMOTE)).toMatchObject({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: 1,
    });
    for (const bad of [
      '',
      'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`,
      `${REMOTE}-x`,
    ])
      expect(parseTraceparent(bad)).toBeUndefined();
    expect(tracesUrl('http://collector:4318')).toBe('http://collector:4318/v1/traces');
    expect(tracesUrl('http://collector:4318/custom/path')).toBe('http://collector:4318/custom/path');
  });
});
