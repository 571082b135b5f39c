/** Case 1: pub/sub throughput, a main-mode publisher's `to_send` → a subscriber's handler. */
import type { CaseContext } from '../case-context.js';
import { startOtlpSink } from '../otlp-sink.js';
import { hwm, type PubSubOutcome, runPubSub, type Side, ZMQ_DEFAULT_HWM } from '../pubsub-run.js';
import { type CaseResult, type Row, row, target } from '../results.js';
import { medianBy, ratio } from '../stats.js';

/** The case's result, and the raw receive rate (the reference of the delta state case). */
export interface PubSubThroughput {
  /** Rows, targets and notes. */
  result: Omit<CaseResult, 'elapsedMs'>;
  /** Raw subscriber's messages/s. */
  rawRate: number | null;
}

/** µs of busy work per message given to extra raw subscribers: what any per-message work costs the pipeline. */
const BUSY_US = [2, 4] as const;

/**
 * Measures both sides with the unpadded order, `repeats` runs each (alternating), and keeps each
 * side's median run; in the same rounds, raw subscribers that spin {@link BUSY_US} µs per message.
 */
export async function pubsubThroughput(ctx: CaseContext): Promise<PubSubThroughput> {
  const plan = { subscribers: 1, count: ctx.profile.pubsubCount, size: 0, intervalMs: 0, latency: false, highWaterMark: ZMQ_DEFAULT_HWM };
  const marks = `high-water marks ${hwm(plan)} send / ${hwm(plan)} receive`;
  const runs: Record<Side, PubSubOutcome[]> = { framework: [], raw: [] };
  const busyRuns = BUSY_US.map(() => [] as PubSubOutcome[]);
  const metricsRuns: PubSubOutcome[] = [];
  const tracingRuns: PubSubOutcome[] = [];
  const sink = await startOtlpSink();
  try {
    for (let i = 1; i <= ctx.profile.repeats; i++) {
      for (const side of ['framework', 'raw'] as const) {
        ctx.log(`pub/sub throughput: ${side}, ${plan.count} messages, run ${i}/${ctx.profile.repeats}`);
        runs[side].push(await runPubSub(ctx, side, plan));
      }
      ctx.log(`pub/sub throughput: framework with metrics on, ${plan.count} messages, run ${i}/${ctx.profile.repeats}`);
      metricsRuns.push(await runPubSub(ctx, 'framework', { ...plan, metrics: true }));
      ctx.log(`pub/sub throughput: framework with tracing on, ${plan.count} messages, run ${i}/${ctx.profile.repeats}`);
      tracingRuns.push(await runPubSub(ctx, 'framework', { ...plan, otlp: sink.url }));
      for (const [n, busyUs] of BUSY_US.entries()) {
        ctx.log(`pub/sub throughput: raw, subscriber busy ${busyUs} µs per message, run ${i}/${ctx.profile.repeats}`);
        busyRuns[n]!.push(await runPubSub(ctx, 'raw', { ...plan, busyUs }));
      }
    }
  } finally {
    await sink.close();
  }
  const fw = medianBy(runs.framework, (run) => run.rates[0] ?? Number.NaN);
  const raw = medianBy(runs.raw, (run) => run.rates[0] ?? Number.NaN);
  const fwRate = fw.rates[0] ?? null;
  const rawRate = raw.rates[0] ?? null;
  const withMetrics = medianBy(metricsRuns, (run) => run.rates[0] ?? Number.NaN).rates[0] ?? null;
  const withTracing = medianBy(tracingRuns, (run) => run.rates[0] ?? Number.NaN).rates[0] ?? null;
  const rounded = (list: PubSubOutcome[]) => list.map((run) => Math.round(run.rates[0] ?? Number.NaN)).join(', ');
  const all = (side: Side) => rounded(runs[side]);
  return {
    rawRate,
    result: {
      id: 'pubsub-throughput',
      title: '1. Pub/sub throughput (publisher to_send → subscriber handler)',
      rows: [
        row('received at the subscriber', 'msg/s', fwRate, rawRate),
        row('sent by the publisher', 'msg/s', fw.sendRate, raw.sendRate),
        row(`delivered (received / sent), ${marks}`, '%', delivered(fw.received[0], fw.sent), delivered(raw.received[0], raw.sent)),
        row(`dropped at the publisher's mark, counted and logged by it (${marks})`, 'msgs', fw.dropped, null),
        row('subscriber CPU per message', 'µs', fw.receiveCpuUs[0] ?? null, raw.receiveCpuUs[0] ?? null),
        row('publisher CPU per message', 'µs', fw.sendCpuUs, raw.sendCpuUs),
        ...BUSY_US.map((busyUs, n) => busyRow(busyUs, busyRuns[n]!, rawRate)),
        { ...row('framework with metrics on (sf run --metrics), received', 'msg/s', withMetrics, null), ratio: ratio(withMetrics, fwRate) },
        {
          ...row('framework with tracing on (sf run --otlp, sampling 1.0), received', 'msg/s', withTracing, null),
          ratio: ratio(withTracing, fwRate),
        },
      ],
      targets: [
        target('pub/sub throughput ≥ 0.75 × raw', ratio(fwRate, rawRate), '>=', 0.75),
        target('pub/sub with metrics on ≥ 0.9 × without', ratio(withMetrics, fwRate), '>=', 0.9),
      ],
      notes: [
        `${plan.count.toLocaleString('en-US')} publications of the order (topic "orders"), sent back to back; the subscriber's rate is (received − 1) / (last − first arrival). Median of ${ctx.profile.repeats} run(s) per side (framework: ${all('framework')}; raw: ${all('raw')} msg/s).`,
        `Both sides run with ${marks} (ZeroMQ's defaults; the framework's send_high_water_mark / receive_high_water_mark, zeromq.js's sendHighWaterMark / receiveHighWaterMark): a sender faster than its subscriber loses the overflow, so the subscriber works saturated and its rate is the pipeline's capacity; the delivered row shows how much overflowed. Raw ZeroMQ drops it silently; the framework's publisher refuses it (noDrop), counts it and logs the total at shutdown (the dropped row), so for the framework delivered + dropped = sent. With marks 0 nothing would be lost and the publisher's memory would hold the backlog.`,
        `"Framework with metrics on" row: the same framework run with \`sf run --metrics\` on both the publisher and the subscriber (counters per message, a Prometheus server each, never scraped during the run); its ratio column is to the framework without metrics. Median of ${ctx.profile.repeats} run(s): ${rounded(metricsRuns)} msg/s.`,
        `"Framework with tracing on" row: the same framework run with \`sf run --otlp <url> --trace-sampling 1\` on both services (a producer span per publication under main's span, a consumer span per message received, batched and exported over OTLP/HTTP JSON to a local endpoint that discards them); its ratio column is to the framework with tracing off. Median of ${ctx.profile.repeats} run(s): ${rounded(tracingRuns)} msg/s. Both processes run flat out here, so every span (a few µs to make, a few more to encode and send) comes straight off the rate: tracing every message of a saturated pipeline costs most of its throughput; sample (\`--trace-sampling 0.01\`) at such rates. Case 2 holds the tracing target, on calls.`,
        "CPU per message: the process's user + system CPU time over the messages it handled (the subscriber from its first message on), so it includes ZeroMQ's own threads.",
        `"Raw + N µs busy" rows: the raw subscriber spinning N µs on each message before counting it (median of ${ctx.profile.repeats} run(s), in the same rounds); their ratio column is to the plain raw subscriber. They show what any per-message work costs this pipeline; the framework's subscriber does about as much per message as case 5's "decode + validate (receive side)" row, plus handing the message to its handler.`,
      ],
    },
  };
}

/** A raw-only row: the median rate of the busy raw subscribers, its ratio to the plain raw one. */
function busyRow(busyUs: number, runs: PubSubOutcome[], rawRate: number | null): Row {
  const rate = medianBy(runs, (run) => run.rates[0] ?? Number.NaN).rates[0] ?? null;
  return { ...row(`raw + ${busyUs} µs busy per message, received`, 'msg/s', null, rate), ratio: ratio(rate, rawRate) };
}

function delivered(received: number | undefined, sent: number): number | null {
  return received === undefined || sent <= 0 ? null : (received / sent) * 100;
}
