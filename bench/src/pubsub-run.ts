/**
 * One pub/sub run, framework or raw: `subscribers` subscriber processes, then one publisher
 * process; each subscriber reports what it received and when.
 */
import { topicPrefix } from '@sf/core/plugin';
import { freePort } from '@sf/core/testing';
import type { CaseContext } from './case-context.js';
import { benchOrder, publicationFrame, stampedPublicationFrame, TOPIC } from './payload.js';
import { type BenchProcess, READY, rawRun, sfRun } from './processes.js';
import { readResult } from './result-file.js';
import { perSecond } from './stats.js';

/** Which side runs: the framework (`sf run` services) or raw zeromq.js. */
export type Side = 'framework' | 'raw';

/** What to publish. */
export interface PubSubPlan {
  /** Subscriber processes. */
  subscribers: number;
  /** Publications. */
  count: number;
  /** Payload size (bytes of `args`) to pad the order to (0: the order as is). */
  size: number;
  /** Pace between publications, ms (0: as fast as the sender goes). */
  intervalMs: number;
  /** Stamp each publication and measure one-way latency. */
  latency: boolean;
  /** Raw side only: µs of busy work the subscriber does per message before counting it (0: none). */
  busyUs?: number;
  /** Send and receive high-water mark of both sides (0: no limit; absent: ZeroMQ's default, {@link ZMQ_DEFAULT_HWM}). */
  highWaterMark?: number;
  /** Framework side on NATS instead of ZeroMQ: the nats-server's `host:port`. */
  nats?: string;
  /** Framework side: both services count metrics and serve them (`sf run --metrics`, a free port each). */
  metrics?: boolean;
  /** Framework side: both services trace every message (`sf run --otlp <this URL> --trace-sampling 1`). */
  otlp?: string;
}

/** ZeroMQ's default high-water mark, what a plan without `highWaterMark` runs with. */
export const ZMQ_DEFAULT_HWM = 1000;

/** The framework publisher's shutdown line that totals the messages refused at its high-water mark. */
const DROPPED_LINE = /dropped (\d+) message\(s\) in all/;

/** What one subscriber reported. */
interface SubscriberResult {
  received: number;
  first_ms: number;
  last_ms: number;
  cpu_us: number;
  latencies_us: number[];
}

/** What a pub/sub run measured. */
export interface PubSubOutcome {
  /** Publications sent. */
  sent: number;
  /** Sender's rate, messages/s. */
  sendRate: number;
  /** Sender's CPU time per message sent, µs. */
  sendCpuUs: number;
  /** Per subscriber: messages received. */
  received: number[];
  /** Per subscriber: receive rate from its first to its last message, messages/s. */
  rates: number[];
  /** Per subscriber: CPU time per message received, µs. */
  receiveCpuUs: number[];
  /** Per subscriber: one-way latency of each message, µs, in arrival order. */
  latenciesUs: number[][];
  /** Messages the publisher counted as dropped at its high-water mark (framework only; raw ZeroMQ drops without counting). */
  dropped: number | null;
}

/** Runs the plan on `side` and stops every process it started. */
export async function runPubSub(ctx: CaseContext, side: Side, plan: PubSubPlan): Promise<PubSubOutcome> {
  const port = await freePort();
  const outs = Array.from({ length: plan.subscribers }, (_, i) => ctx.file(`${side}-sub${i}.json`));
  const pubOut = ctx.file(`${side}-pub.json`);
  try {
    const subs = side === 'framework' ? await startSfSubscribers(ctx, port, plan, outs) : await startRawSubscribers(ctx, port, plan, outs);
    await Promise.all(subs.map((sub) => sub.waitForLine(READY, ctx.profile.resultTimeoutMs)));
    const pub = ctx.track(
      side === 'framework' ? await startSfPublisher(ctx, port, plan, pubOut) : await startRawPublisher(ctx, port, plan, pubOut),
    );
    const exit = await pub.exited(ctx.profile.resultTimeoutMs);
    if (exit.code !== 0) throw new Error(`${pub.name} exited with ${exit.code ?? exit.signal}\n${pub.output()}`);
    const sent = await readResult<{ sent: number; elapsed_ms: number; cpu_us: number }>(pubOut, 1000);
    const results = await Promise.all(
      outs.map((out, i) => readResult<SubscriberResult>(out, ctx.profile.resultTimeoutMs, () => subs[i]!.running)),
    );
    return {
      sent: sent.sent,
      sendRate: perSecond(sent.sent, sent.elapsed_ms),
      sendCpuUs: sent.cpu_us / sent.sent,
      received: results.map((r) => r.received),
      rates: results.map((r) => perSecond(r.received - 1, r.last_ms - r.first_ms)),
      receiveCpuUs: results.map((r) => (r.received > 1 ? r.cpu_us / (r.received - 1) : Number.NaN)),
      latenciesUs: results.map((r) => r.latencies_us),
      dropped: side === 'framework' ? Number(pub.lines.map((line) => DROPPED_LINE.exec(line)?.[1]).find(Boolean) ?? 0) : null,
    };
  } finally {
    await ctx.stopStarted();
  }
}

async function startSfSubscribers(ctx: CaseContext, port: number, plan: PubSubPlan, outs: string[]): Promise<BenchProcess[]> {
  const addresses = await ctx.addresses({
    connections: { in: { orders: plan.nats ? { nats: plan.nats } : { subscriber: `127.0.0.1:${port}` } } },
  });
  return outs.map((out) =>
    ctx.track(
      sfRun(plan.nats ? 'nats-subscriber.ts' : 'bench-subscriber.ts', [
        ...['-a', addresses, '--out', out, '--count', String(plan.count)],
        ...['--idle_ms', String(ctx.profile.idleMs), '--latency', plan.latency ? '1' : '0', ...hwmArgs(plan)],
      ]),
    ),
  );
}

async function startRawSubscribers(ctx: CaseContext, port: number, plan: PubSubPlan, outs: string[]): Promise<BenchProcess[]> {
  const stampOffset = plan.latency ? stampedPublicationFrame(benchOrder(plan.size)).stampOffset : -1;
  const prefix = Buffer.from(topicPrefix(TOPIC)).toString('hex');
  return outs.map((out) =>
    ctx.track(
      rawRun('raw-subscriber.mjs', {
        endpoint: `tcp://127.0.0.1:${port}`,
        prefix_hex: prefix,
        count: plan.count,
        idle_ms: ctx.profile.idleMs,
        stamp_offset: stampOffset,
        busy_us: plan.busyUs ?? 0,
        hwm: hwm(plan),
        out,
      }),
    ),
  );
}

async function startSfPublisher(ctx: CaseContext, port: number, plan: PubSubPlan, out: string): Promise<BenchProcess> {
  const addresses = await ctx.addresses({
    connections: { out: { orders: plan.nats ? { nats: plan.nats } : { publisher: `127.0.0.1:${port}` } } },
  });
  return sfRun(plan.nats ? 'nats-publisher.ts' : 'bench-publisher.ts', [
    ...['-m', '-a', addresses, '--out', out, '--count', String(plan.count), '--size', String(plan.size)],
    ...['--interval_ms', String(plan.intervalMs), '--wait_s', String(ctx.profile.joinWaitS), ...hwmArgs(plan)],
  ]);
}

async function startRawPublisher(ctx: CaseContext, port: number, plan: PubSubPlan, out: string): Promise<BenchProcess> {
  const order = benchOrder(plan.size);
  const stamped = plan.latency ? stampedPublicationFrame(order) : undefined;
  const frame = await ctx.frameFile('publication', stamped?.frame ?? publicationFrame(order));
  return rawRun('raw-publisher.mjs', {
    endpoint: `tcp://127.0.0.1:${port}`,
    frame,
    count: plan.count,
    interval_ms: plan.intervalMs,
    stamp_offset: stamped?.stampOffset ?? -1,
    wait_s: ctx.profile.joinWaitS,
    hwm: hwm(plan),
    out,
  });
}

/**
 * `--hwm <mark>` for the framework's ZeroMQ services (none on NATS, which has no high-water mark);
 * `--metrics` and `--otlp` when the plan asks.
 */
function hwmArgs(plan: PubSubPlan): string[] {
  return [
    ...(plan.nats ? [] : ['--hwm', String(hwm(plan))]),
    ...(plan.metrics ? ['--metrics', '127.0.0.1:0'] : []),
    ...(plan.otlp ? ['--otlp', plan.otlp, '--trace-sampling', '1'] : []),
  ];
}

/** The high-water mark a plan runs with. */
export function hwm(plan: PubSubPlan): number {
  return plan.highWaterMark ?? ZMQ_DEFAULT_HWM;
}
