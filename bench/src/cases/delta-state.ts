/** Case 4: delta state updates/s, a writer's `to_send('state', …)` → the value visible in the reader. */
import { freePort } from '@sf/core/testing';
import type { CaseContext } from '../case-context.js';
import { sfRun } from '../processes.js';
import { runPubSub } from '../pubsub-run.js';
import { readResult } from '../result-file.js';
import { type CaseResult, row, target } from '../results.js';
import { medianBy, perSecond, ratio } from '../stats.js';

/** What one run measured. */
interface DeltaRun {
  /** Updates made visible per second in the reader. */
  visible: number;
  /** Updates written per second by the writer. */
  written: number;
  /** on_update calls over the sequence numbers they spanned, %. */
  seenPercent: number;
  /** Reader's CPU time per update, µs (from its first update on). */
  readerCpuUs: number;
  /** Writer's CPU time per update, µs. */
  writerCpuUs: number;
}

/** Measures the delta state; the reference is the raw pub/sub rate of case 1 (measured here if case 1 did not run). */
export async function deltaState(ctx: CaseContext, rawPubSubRate: number | null): Promise<Omit<CaseResult, 'elapsedMs'>> {
  const count = ctx.profile.deltaCount;
  const runs: DeltaRun[] = [];
  for (let i = 1; i <= ctx.profile.repeats; i++) {
    ctx.log(`delta state: ${count} updates, run ${i}/${ctx.profile.repeats}`);
    runs.push(await runDelta(ctx, count));
  }
  const run = medianBy(runs, (r) => r.visible);
  let reference = rawPubSubRate;
  if (reference === null) {
    ctx.log('delta state: raw pub/sub reference (case 1 did not run)');
    const raw = await runPubSub(ctx, 'raw', { subscribers: 1, count: ctx.profile.pubsubCount, size: 0, intervalMs: 0, latency: false });
    reference = raw.rates[0] ?? null;
  }
  return {
    id: 'delta-state',
    title: "4. Delta state updates (writer to_send('state') → value visible in the reader)",
    rows: [
      row('updates visible in the reader (raw: case 1 pub/sub)', 'msg/s', run.visible, reference),
      row('updates written by to_send', 'msg/s', run.written, null),
      row('on_update calls / updates in that span', '%', run.seenPercent, null),
      row('reader CPU per update', 'µs', run.readerCpuUs, null),
      row('writer CPU per update', 'µs', run.writerCpuUs, null),
    ],
    targets: [target('delta state ≥ 0.6 × raw pub/sub', ratio(run.visible, reference), '>=', 0.6)],
    notes: [
      `${count.toLocaleString('en-US')} updates, each a delta holding the whole order with quantity = its sequence number; the reader's rate is (last − first sequence seen) / (time between those on_update calls). Median of ${ctx.profile.repeats} run(s) (${runs.map((r) => Math.round(r.visible)).join(', ')} updates/s).`,
      "The writer sets send_high_water_mark 0 (no limit), so a reader that falls behind queues updates instead of losing them and resyncing from a snapshot; the raw reference is case 1's raw subscriber.",
    ],
  };
}

async function runDelta(ctx: CaseContext, count: number): Promise<DeltaRun> {
  const [publisher, replyer] = [await freePort(), await freePort()];
  const readerOut = ctx.file('state-reader.json');
  const writerOut = ctx.file('state-writer.json');
  try {
    const readerAddresses = await ctx.addresses({
      states: { in: { book: { subscriber: `127.0.0.1:${publisher}`, requester: `127.0.0.1:${replyer}` } } },
    });
    const writerAddresses = await ctx.addresses({
      states: { out: { book: { publisher: `127.0.0.1:${publisher}`, replyer: `127.0.0.1:${replyer}` } } },
    });
    // The reader's open() waits for its first snapshot, which the writer answers once it has bound: start both.
    const readerProc = ctx.track(
      sfRun('bench-state-reader.ts', [
        '-a',
        readerAddresses,
        '--out',
        readerOut,
        '--count',
        String(count),
        '--idle_ms',
        String(ctx.profile.idleMs),
      ]),
    );
    const writerProc = ctx.track(
      sfRun('bench-state-writer.ts', [
        '-m',
        '-a',
        writerAddresses,
        '--out',
        writerOut,
        '--count',
        String(count),
        '--wait_s',
        String(ctx.profile.joinWaitS + 0.5),
      ]),
    );
    const exit = await writerProc.exited(ctx.profile.resultTimeoutMs);
    if (exit.code !== 0) throw new Error(`${writerProc.name} exited with ${exit.code ?? exit.signal}\n${writerProc.output()}`);
    const writer = await readResult<{ sent: number; elapsed_ms: number; cpu_us: number }>(writerOut, 1000);
    const reader = await readResult<{
      updates: number;
      first_seq: number;
      last_seq: number;
      first_ms: number;
      last_ms: number;
      cpu_us: number;
    }>(readerOut, ctx.profile.resultTimeoutMs, () => readerProc.running);
    const span = reader.last_seq - reader.first_seq + 1;
    return {
      visible: perSecond(reader.last_seq - reader.first_seq, reader.last_ms - reader.first_ms),
      written: perSecond(writer.sent, writer.elapsed_ms),
      seenPercent: (reader.updates / span) * 100,
      readerCpuUs: reader.updates > 1 ? reader.cpu_us / (reader.updates - 1) : Number.NaN,
      writerCpuUs: writer.cpu_us / writer.sent,
    };
  } finally {
    await ctx.stopStarted();
  }
}
