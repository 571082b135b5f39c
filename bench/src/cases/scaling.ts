/** Case 7: how it grows: pub/sub throughput by payload size, one-way latency by subscriber count. */
import type { CaseContext } from '../case-context.js';
import { runPubSub } from '../pubsub-run.js';
import { type CaseResult, type Row, row, type Target, target } from '../results.js';
import { percentile } from '../stats.js';

/** Lowest framework / raw throughput ratio by payload size (issue #13). */
const SIZE_TARGETS: ReadonlyMap<number, number> = new Map([
  [10 * 1024, 0.9],
  [1024 * 1024, 0.7],
]);

/** Highest framework / raw one-way latency p50 ratio at the largest subscriber count. */
const FAN_OUT_P50_TARGET = 1.5;

/** Runs each payload size and each subscriber count on both sides. */
export async function scaling(ctx: CaseContext): Promise<Omit<CaseResult, 'elapsedMs'>> {
  const rows: Row[] = [];
  const targets: Target[] = [];
  for (const [size, count] of ctx.profile.sizes) {
    const plan = { subscribers: 1, count, size, intervalMs: 0, latency: false };
    ctx.log(`throughput at ${label(size)}: ${count} messages per side`);
    const fw = await runPubSub(ctx, 'framework', plan);
    const raw = await runPubSub(ctx, 'raw', plan);
    const fwRate = fw.rates[0] ?? null;
    const rawRate = raw.rates[0] ?? null;
    const rate = row(`throughput at ${label(size)}`, 'msg/s', fwRate, rawRate);
    rows.push(rate);
    const least = SIZE_TARGETS.get(size);
    if (least !== undefined) targets.push(target(`throughput at ${label(size)} ≥ ${least} × raw`, rate.ratio, '>=', least));
    rows.push(row(`throughput at ${label(size)}`, 'MB/s', mbps(fwRate, size), mbps(rawRate, size)));
  }
  const { fanOut, fanOutCount, fanOutIntervalMs } = ctx.profile;
  for (const subscribers of fanOut) {
    const plan = { subscribers, count: fanOutCount, size: 0, intervalMs: fanOutIntervalMs, latency: true };
    ctx.log(`latency with ${subscribers} subscriber(s): ${fanOutCount} messages per side`);
    const fw = afterWarmup((await runPubSub(ctx, 'framework', plan)).latenciesUs);
    const raw = afterWarmup((await runPubSub(ctx, 'raw', plan)).latenciesUs);
    const p50 = row(`one-way latency p50, ${subscribers} subscriber(s)`, 'µs', percentile(fw, 50), percentile(raw, 50));
    rows.push(p50);
    if (subscribers === Math.max(...fanOut))
      targets.push(
        target(`one-way latency p50 with ${subscribers} subscribers ≤ ${FAN_OUT_P50_TARGET} × raw`, p50.ratio, '<=', FAN_OUT_P50_TARGET),
      );
    rows.push(row(`one-way latency p99, ${subscribers} subscriber(s)`, 'µs', percentile(fw, 99), percentile(raw, 99)));
  }
  return {
    id: 'scaling',
    title: '7. How it grows: payload size and subscriber count',
    rows,
    targets,
    notes: [
      'Throughput rows: as case 1, the order padded with a `memo` string so its args encode to the size (the frame adds ~70 B of topic and envelope); MB/s counts payload bytes.',
      `Latency rows: one publication every ${fanOutIntervalMs} ms (paced, so no queue builds), ${fanOutCount.toLocaleString('en-US')} per run, each subscriber in its own process; publish → handler time from a monotonic clock stamp in the message, the first 10% of each subscriber's messages left out, all subscribers pooled.`,
    ],
  };
}

function label(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${bytes / (1024 * 1024)} MB`;
  if (bytes >= 1024) return `${bytes / 1024} KB`;
  return `${bytes} B`;
}

function mbps(rate: number | null, size: number): number | null {
  return rate === null ? null : (rate * size) / (1024 * 1024);
}

function afterWarmup(perSubscriber: number[][]): number[] {
  return perSubscriber.flatMap((samples) => samples.slice(Math.floor(samples.length / 10)));
}
