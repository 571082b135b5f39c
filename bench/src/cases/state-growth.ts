/** Case "how it grows: state size": a delta reader's updates/s and RSS on states of 10 to 1,000,000 keys, one-key deltas. */
import { freePort } from '@sf/core/testing';
import type { CaseContext } from '../case-context.js';
import { sfRun } from '../processes.js';
import { readResult } from '../result-file.js';
import { type CaseResult, type Row, row, target } from '../results.js';
import { perSecond, ratio } from '../stats.js';

/** What one run at one state size measured. */
interface GrowthRun {
  keys: number;
  /** on_update calls per second in the reader. */
  rate: number;
  /** The reader's RSS at its last update, MB. */
  rssMb: number;
}

/** Measures the reader at each state size of the profile. */
export async function stateGrowth(ctx: CaseContext): Promise<Omit<CaseResult, 'elapsedMs'>> {
  const runs: GrowthRun[] = [];
  for (const [keys, count] of ctx.profile.growth) {
    ctx.log(`state growth: ${keys.toLocaleString('en-US')} keys, ${count} one-key updates`);
    runs.push(await runGrowth(ctx, keys, count));
  }
  const rows: Row[] = [];
  for (const run of runs) rows.push(row(`${run.keys.toLocaleString('en-US')} keys: reader updates/s`, 'msg/s', run.rate, null));
  for (const run of runs) rows.push(row(`${run.keys.toLocaleString('en-US')} keys: reader RSS`, 'MB', run.rssMb, null));
  const [smallest, largest] = [runs[0], runs.at(-1)];
  const name = `reader rate at ${largest?.keys.toLocaleString('en-US')} keys ≥ 0.8 × at ${smallest?.keys.toLocaleString('en-US')} keys`;
  return {
    id: 'state-growth',
    title: 'How it grows: state size (delta_update_in, one-key deltas)',
    rows,
    targets: [target(name, ratio(largest?.rate ?? null, smallest?.rate ?? null), '>=', 0.8)],
    notes: [
      `A delta_update_out writer sends one snapshot of N keys (mapOf(String, Number)), then one-key deltas as fast as to_send goes, each awaited (${ctx.profile.growth.map(([keys, count]) => `${count} at ${keys.toLocaleString('en-US')} keys`).join(', ')}); the reader's rate is its on_update calls over the time from the first delta to the last. One run per size.`,
      "The reader's RSS is taken in the reader at its last update: it holds the state, the decoded snapshot it came from may not be collected yet.",
      'No 1,000,000-key row yet: there the reader process aborts inside libzmq (`Assertion failed: !_io_error`, stream_engine_base.cpp:310) while the ~9 MB snapshot arrives (issue #24).',
    ],
  };
}

async function runGrowth(ctx: CaseContext, keys: number, count: number): Promise<GrowthRun> {
  const [publisher, replyer] = [await freePort(), await freePort()];
  const readerOut = ctx.file('growth-reader.json');
  const writerOut = ctx.file('growth-writer.json');
  const sizes = ['--keys', String(keys), '--count', String(count)];
  try {
    const readerAddresses = await ctx.addresses({
      states: { in: { big: { subscriber: `127.0.0.1:${publisher}`, requester: `127.0.0.1:${replyer}` } } },
    });
    const writerAddresses = await ctx.addresses({
      states: { out: { big: { publisher: `127.0.0.1:${publisher}`, replyer: `127.0.0.1:${replyer}` } } },
    });
    // The reader's open() waits for its first snapshot, which the writer answers once it has bound: start both.
    const readerProc = ctx.track(
      sfRun('bench-growth-reader.ts', ['-a', readerAddresses, '--out', readerOut, ...sizes, '--idle_ms', String(ctx.profile.idleMs)]),
    );
    const writerProc = ctx.track(
      sfRun('bench-growth-writer.ts', [
        '-m',
        '-a',
        writerAddresses,
        '--out',
        writerOut,
        ...sizes,
        '--wait_s',
        String(ctx.profile.joinWaitS + 0.5),
      ]),
    );
    const exit = await writerProc.exited(ctx.profile.resultTimeoutMs);
    if (exit.code !== 0) throw new Error(`${writerProc.name} exited with ${exit.code ?? exit.signal}\n${writerProc.output()}`);
    const reader = await readResult<{ updates: number; first_ms: number; last_ms: number; rss_mb: number }>(
      readerOut,
      ctx.profile.resultTimeoutMs,
      () => readerProc.running,
    );
    return { keys, rate: perSecond(reader.updates - 1, reader.last_ms - reader.first_ms), rssMb: reader.rss_mb };
  } finally {
    await ctx.stopStarted();
  }
}
