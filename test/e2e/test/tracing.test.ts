/**
 * Traces across real `sf run` processes (`--otlp`), received by the OTLP/HTTP JSON receiver of
 * `@sf/tracing/collector` in this test: a main-mode caller → a replyer that asks another replyer and
 * writes a delta state → the replyer and state reader. Every span's parent, kind, attributes and
 * timing order is checked; a failing handler's span has the error's type and code. With a Python
 * 0.0.3 relay in the middle, the context is lost there, and both halves share the workflow id.
 */
import { type CollectedSpan, type OtlpReceiver, receiveTraces } from '@sf/tracing/collector';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePorts, loopback, PythonPeer, pythonForPeer, startSf } from '../src/index.js';
import { useE2eHooks } from './helpers/hooks.js';

const temp = useE2eHooks();
const python = pythonForPeer();
let receiver: OtlpReceiver;

beforeEach(async () => {
  receiver = await receiveTraces({ host: '127.0.0.1', port: 0 });
});
afterEach(() => receiver.close());

/** Spans of the two processes' clocks are each anchored on Date.now() when the span starts: 1 ms apart at most. */
const SKEW_MS = 1;

/** The one span named `name` (of `service`, when given). */
function only(spans: readonly CollectedSpan[], name: string, where: (span: CollectedSpan) => boolean = () => true): CollectedSpan {
  const found = spans.filter((span) => span.name === name && where(span));
  expect(found, `${name}: ${JSON.stringify(spans.map((span) => span.name))}`).toHaveLength(1);
  return found[0]!;
}

/** Checks that `child` is `parent`'s child and starts (and, when `within`, ends) inside it. */
function childOf(child: CollectedSpan, parent: CollectedSpan, within = true): void {
  expect(child.traceId).toBe(parent.traceId);
  expect(child.parentSpanId, `${child.name} under ${parent.name}`).toBe(parent.spanId);
  expect(child.startMs).toBeGreaterThanOrEqual(parent.startMs - SKEW_MS);
  if (within) expect(child.endMs).toBeLessThanOrEqual(parent.endMs + SKEW_MS);
}

describe('tracing across sf run processes (--otlp)', () => {
  it('caller → front (asks the reader, writes a state) → reader: one trace per call, every span in place', async () => {
    const [askPort, deepPort, pubPort, snapPort] = (await freePorts(4)) as [number, number, number, number];
    const otlp = ['--otlp', receiver.url];
    const front = startSf(
      [
        '-s',
        'tracing/trace-front.mjs',
        '-a',
        await temp.addresses({
          connections: { in: { ask: { replyer: loopback(askPort) } }, out: { deep: { requester: loopback(deepPort) } } },
          states: { out: { total: { publisher: loopback(pubPort), replyer: loopback(snapPort) } } },
        }),
        ...otlp,
      ],
      { name: 'front' },
    );
    await front.ready();
    const reader = startSf(
      [
        '-s',
        'tracing/trace-reader.mjs',
        '-a',
        await temp.addresses({
          connections: { in: { deep: { replyer: loopback(deepPort) } } },
          states: { in: { total: { subscriber: loopback(pubPort), requester: loopback(snapPort) } } },
        }),
        ...otlp,
      ],
      { name: 'reader' },
    );
    await reader.ready();
    await new Promise((resolve) => setTimeout(resolve, 300)); // the reader's subscription joins
    const caller = startSf(
      [
        '-s',
        'tracing/trace-caller.mjs',
        '-a',
        await temp.addresses({ connections: { out: { ask: { requester: loopback(askPort) } } } }),
        '-m',
        ...otlp,
      ],
      { name: 'caller' },
    );
    expect(await caller.exitCode(), caller.output()).toBe(0);
    expect(caller.stdout.filter((line) => line.startsWith('ask '))).toEqual([
      'ask 2: {"doubled":4}',
      'ask -1: SF_REMOTE_ERROR SF_HANDLER_FAILED',
    ]);
    await reader.waitForLine(/^total 4$/);
    expect(await front.stop(), front.output()).toBe(0);
    expect(await reader.stop(), reader.output()).toBe(0);

    // Stopped services have exported every span.
    const [trace, ...others] = receiver.store.list();
    expect(others).toEqual([]);
    expect(trace).toMatchObject({ services: ['trace-caller', 'trace-front', 'trace-reader'], error: true });
    const spans = receiver.store.trace(trace!.traceId);
    const main = only(spans, 'main');
    const workflowId = main.attributes['sf.workflow_id'];
    expect(workflowId).toMatch(/^[0-9a-f-]{36}$/);
    expect(main).toMatchObject({ kind: 'internal', service: 'trace-caller', parentSpanId: undefined, error: false });

    // Call 1 (n = 2): workflow <id>. Call 2 (n = -1): <id>_1.
    const sends = spans.filter((span) => span.name === 'send connection_models.out.ask').sort((a, b) => a.startMs - b.startMs);
    expect(sends.map((span) => [span.kind, span.attributes['sf.workflow_id'], span.error])).toEqual([
      ['client', workflowId, false],
      ['client', `${workflowId}_1`, true],
    ]);
    for (const send of sends) childOf(send, main);
    for (const [index, send] of sends.entries()) {
      const id = send.attributes['sf.workflow_id'];
      const ok = index === 0;
      const handle = only(spans, 'handle connection_models.in.ask', (span) => span.attributes['sf.workflow_id'] === id);
      expect(handle).toMatchObject({ kind: 'server', service: 'trace-front', error: !ok });
      expect(handle.attributes).toMatchObject({
        'sf.service': 'trace-front',
        'sf.model': 'connection_models.in.ask',
        'sf.connection_type': 'replyer',
      });
      childOf(handle, send);
      const deep = only(spans, 'send connection_models.out.deep', (span) => span.attributes['sf.workflow_id'] === id);
      expect(deep).toMatchObject({ kind: 'client', error: !ok });
      childOf(deep, handle);
      const served = only(spans, 'handle connection_models.in.deep', (span) => span.attributes['sf.workflow_id'] === id);
      expect(served).toMatchObject({ kind: 'server', service: 'trace-reader', error: !ok });
      expect(served.attributes['sf.connection_type']).toBe('replyer');
      childOf(served, deep);
      if (ok) {
        const write = only(spans, 'write state_models.out.total');
        expect(write).toMatchObject({ kind: 'producer', service: 'trace-front', error: false });
        expect(write.attributes).toMatchObject({ 'sf.workflow_id': `${id}_1`, 'sf.connection_type': 'delta_update_out' });
        childOf(write, handle);
        expect(write.startMs).toBeGreaterThanOrEqual(deep.endMs - SKEW_MS);
        const apply = only(spans, 'apply state_models.in.total');
        expect(apply).toMatchObject({ kind: 'consumer', service: 'trace-reader', error: false });
        expect(apply.attributes).toMatchObject({ 'sf.workflow_id': `${id}_1`, 'sf.connection_type': 'delta_update_in' });
        childOf(apply, write, false);
      } else {
        // The reader's handler threw a PublicError: its span has the type and code its reply carried.
        expect(served.statusMessage).toBe('n must not be negative');
        expect(served.attributes).toMatchObject({ 'error.type': 'PublicError', 'sf.error.code': 'SF_NEGATIVE' });
        expect(deep.attributes).toMatchObject({ 'error.type': 'PublicError', 'sf.error.code': 'SF_NEGATIVE' });
        // The front rethrew: what its caller is told, a HandlerError naming only the workflow id.
        expect(handle.attributes).toMatchObject({ 'error.type': 'HandlerError', 'sf.error.code': 'SF_HANDLER_FAILED' });
        expect(sends[1]!.attributes).toMatchObject({ 'error.type': 'HandlerError', 'sf.error.code': 'SF_HANDLER_FAILED' });
      }
    }
    expect(spans).toHaveLength(1 + 2 * 4 + 2);
  });

  it.skipIf(!python)(
    'a Python 0.0.3 relay in the middle ignores the traceparent key; the TS spans on both sides share the workflow id',
    async () => {
      const [relayPort, deepPort, pubPort, snapPort] = (await freePorts(4)) as [number, number, number, number];
      const reader = startSf(
        [
          '-s',
          'tracing/trace-reader.mjs',
          '-a',
          await temp.addresses({
            connections: { in: { deep: { replyer: loopback(deepPort) } } },
            states: { in: { total: { subscriber: loopback(pubPort), requester: loopback(snapPort) } } },
          }),
          '--otlp',
          receiver.url,
        ],
        { name: 'reader' },
      );
      await reader.ready();
      const N = { required_arguments: { n: 'int' } };
      const relay = new PythonPeer(
        python!,
        await temp.addresses({
          connections: { in: { ask: { replyer: loopback(relayPort) } }, out: { deep: { requester: loopback(deepPort) } } },
        }),
        {
          connections: {
            in: { ask: { connection_type: 'replyer', ...N, forward: { to: 'deep', times: 1 } } },
            out: { deep: { connection_type: 'requester', ...N } },
          },
        },
        { name: 'python relay' },
      );
      await relay.ready();
      const caller = startSf(
        [
          '-s',
          'tracing/trace-caller.mjs',
          '-a',
          await temp.addresses({ connections: { out: { ask: { requester: loopback(relayPort) } } } }),
          '-m',
          '--otlp',
          receiver.url,
          '--numbers',
          '2,3',
        ],
        { name: 'caller' },
      );
      expect(await caller.exitCode(), caller.output()).toBe(0);
      // The relay took both requests (the traceparent key ignored) and answered with its args, as 0.0.3 does.
      expect(caller.stdout.filter((line) => line.startsWith('ask '))).toEqual(['ask 2: {"n":2}', 'ask 3: {"n":3}']);
      expect(relay.events('received').map((event) => event.args)).toEqual([{ n: 2 }, { n: 3 }]);
      expect(await reader.stop(), reader.output()).toBe(0);
      expect(await relay.quit(), relay.output()).toBe(0);

      const spans = receiver.store.spans();
      const sends = spans.filter((span) => span.name === 'send connection_models.out.ask');
      const served = spans.filter((span) => span.name === 'handle connection_models.in.deep');
      expect(sends).toHaveLength(2);
      expect(served).toHaveLength(2);
      for (const send of sends) {
        const id = send.attributes['sf.workflow_id'];
        const far = served.find((span) => span.attributes['sf.workflow_id'] === id);
        expect(far, `a reader span with workflow id ${id}`).toBeDefined();
        // The context stopped at the relay: the reader's span starts a trace of its own, found by the id.
        expect(far!.traceId).not.toBe(send.traceId);
        expect(far!.parentSpanId).toBeUndefined();
        // Searching by the id (a prefix: <id> also finds <id>_1) finds both halves.
        const found = receiver.store.list(String(id)).map((summary) => summary.traceId);
        expect(found).toEqual(expect.arrayContaining([send.traceId, far!.traceId]));
      }
    },
  );
});
