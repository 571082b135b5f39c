/** Case 2: request/reply latency, a requester's `to_send` → replyer handler → reply, one call at a time. */
import type { CaseContext } from '../case-context.js';
import { floorRows, runNetFloor } from '../floor-run.js';
import { startOtlpSink } from '../otlp-sink.js';
import { type ReqRepOutcome, runReqRep } from '../reqrep-run.js';
import type { Side } from '../pubsub-run.js';
import { type CaseResult, row, target } from '../results.js';
import { medianBy, percentile, perSecond, ratio } from '../stats.js';

/** Measures p50/p99 round trips on both sides, `repeats` runs each (alternating); reports each side's median run by p50. */
export async function reqrepLatency(ctx: CaseContext): Promise<Omit<CaseResult, 'elapsedMs'>> {
  const plan = { callers: [1], count: ctx.profile.latencyCount, warmup: ctx.profile.latencyWarmup, delayMs: 0 };
  const outcomes: Record<Side, ReqRepOutcome[]> = { framework: [], raw: [] };
  const traced: ReqRepOutcome[] = [];
  const floors: ReqRepOutcome[] = [];
  const sink = await startOtlpSink();
  try {
    for (let i = 1; i <= ctx.profile.repeats; i++) {
      for (const side of ['framework', 'raw'] as const) {
        ctx.log(`request/reply latency: ${side}, ${plan.count} calls, run ${i}/${ctx.profile.repeats}`);
        outcomes[side].push(await runReqRep(ctx, side, plan));
      }
      ctx.log(`request/reply latency: framework with tracing on, ${plan.count} calls, run ${i}/${ctx.profile.repeats}`);
      traced.push(await runReqRep(ctx, 'framework', { ...plan, otlp: sink.url }));
      ctx.log(`request/reply latency: node:net floor, ${plan.count} calls, run ${i}/${ctx.profile.repeats}`);
      floors.push(await runNetFloor(ctx, plan.count, plan.warmup));
    }
  } finally {
    await sink.close();
  }
  const p50Of = (outcome: ReqRepOutcome): number => percentile(outcome.runs[0]?.latencies_us ?? [], 50);
  const fwOutcome = medianBy(outcomes.framework, p50Of);
  const rawOutcome = medianBy(outcomes.raw, p50Of);
  const [fw] = fwOutcome.runs;
  const [raw] = rawOutcome.runs;
  if (!fw || !raw) throw new Error('the requesters reported no run');
  const p50 = row('p50 round trip', 'µs', percentile(fw.latencies_us, 50), percentile(raw.latencies_us, 50));
  const p99 = row('p99 round trip', 'µs', percentile(fw.latencies_us, 99), percentile(raw.latencies_us, 99));
  const all = (side: Side) => outcomes[side].map((o) => p50Of(o).toFixed(1)).join(', ');
  const [tracedRun] = medianBy(traced, p50Of).runs;
  const callsPerSecond = perSecond(fw.calls, fw.elapsed_ms);
  const tracedPerSecond = tracedRun ? perSecond(tracedRun.calls, tracedRun.elapsed_ms) : null;
  return {
    id: 'reqrep-latency',
    title: '2. Request/reply latency (requester to_send → replyer handler → reply)',
    rows: [
      p50,
      p99,
      row('sequential calls', 'calls/s', callsPerSecond, perSecond(raw.calls, raw.elapsed_ms)),
      {
        ...row('sequential calls, framework with tracing on (sf run --otlp, sampling 1.0)', 'calls/s', tracedPerSecond, null),
        ratio: ratio(tracedPerSecond, callsPerSecond),
      },
      row('requester CPU per call', 'µs', fw.cpu_us / fw.calls, raw.cpu_us / raw.calls),
      row('replyer CPU per call', 'µs', fwOutcome.replyerCpuUs, rawOutcome.replyerCpuUs),
      ...floorRows(fw.latencies_us, raw.latencies_us, floors),
    ],
    targets: [
      target('request/reply p50 ≤ 1.1 × raw', ratio(p50.framework, p50.raw), '<=', 1.1),
      target('request/reply p99 ≤ 2 × raw', ratio(p99.framework, p99.raw), '<=', 2),
      target('sequential calls with tracing on (sampling 1.0) ≥ 0.85 × off', ratio(tracedPerSecond, callsPerSecond), '>=', 0.85),
    ],
    notes: [
      `${plan.count.toLocaleString('en-US')} sequential calls after ${plan.warmup} warm-up calls; round trip timed in the requester around to_send (raw: around send + receive of a REQ socket against a ROUTER, the framework's replyer socket). Median of ${ctx.profile.repeats} run(s) per side by p50 (framework: ${all('framework')}; raw: ${all('raw')} µs).`,
      "CPU per call: user + system CPU time of each process over the calls (the replyer's includes the warm-up calls).",
      `"Tracing on" row: the same framework run with \`sf run --otlp <url> --trace-sampling 1\` on both services (a client span per call under main's span, a server span per request handled, batched and exported over OTLP/HTTP JSON to a local endpoint that discards them), in the same rounds; its ratio column is to the framework with tracing off. Runs by p50: ${traced.map((o) => p50Of(o).toFixed(1)).join(', ')} µs.`,
      `The floor: two Node processes doing the same calls with the same bytes over a plain node:net TCP connection (noDelay, raw/net-pingpong.mjs), run after each pair (median run by p50: ${floors.map((o) => p50Of(o).toFixed(1)).join(', ')} µs). The "÷ floor" rows divide each column's round trip by it; docs/performance.md ("Where a round trip goes") says where ZeroMQ spends the difference.`,
    ],
  };
}
