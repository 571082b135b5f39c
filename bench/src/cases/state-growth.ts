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
  /** The reader's CPU time (user + system) per update, µs. */
  cpuUs: number;
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
  for (const run of runs) rows.push(row(`${run.keys.toLocaleString('en-US')} keys: reader CPU per update`, 'µs', run.cpuUs, null));
  const [smallest, largest] = [runs[0], runs.at(-1)];
  const name = `reader rate at ${largest?.keys.toLocaleString('en-US')} keys ≥ 0.8 × at ${smallest?.keys.toLocaleString('en-US')} keys`;
  return {
    id: 'state-growth',
    title: 'How it grows: state size (delta_update_in, one-key deltas)',
    rows,
    targets: [target(name, ratio(largest?.rate ?? null, smallest?.rate ?? null), '>=', 0.8)],
    notes: [
      `A delta_update_out writer sends one snapshot of N keys (mapOf(String, Number)), then one-key deltas as fast as to_send goes, each awaited (${ctx.profile.growth.map(([keys, count]) => `${count} at ${keys.toLocaleString('en-US')} keys`).join(', ')}). The reader's on_update holds the snapshot until the writer has sent every delta, so at each size the reader then takes them from a backlog as fast as it goes (without the hold, a small state's reader only keeps pace with its writer, while a big one drains the deltas queued during its snapshot). Its rate is its on_update calls over the time from the first delta to the last; its CPU per update is the process's user + system time over the same span. One run per size.`,
      "The reader's RSS is taken in the reader at its last update: it holds the state, the decoded snapshot it came from may not be collected yet.",
      'The 1,000,000-key row used to abort the reader inside libzmq (`Assertion failed: !_io_error`, stream_engine_base.cpp:310): its receive queues were full while it decoded the ~10 MB snapshot, the writer dropped it for not answering heartbeats, and its own next heartbeat asserted. Heartbeats are now off by default (README, "Hostile peers").',
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
      sfRun('bench-growth-reader.ts', [
        '-a',
        readerAddresses,
        '--out',
        readerOut,
        ...sizes,
        '--idle_ms',
        String(ctx.profile.idleMs),
        '--hold_until',
        writerOut,
      ]),
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
        '--stay_until',
        readerOut,
      ]),
    );
    const reader = await readResult<{ updates: number; first_ms: number; last_ms: number; rss_mb: number; cpu_us: number; reason: string }>(
      readerOut,
      ctx.profile.resultTimeoutMs,
      () => readerProc.running,
    );
    const exit = await writerProc.exited(ctx.profile.resultTimeoutMs);
    if (exit.code !== 0) throw new Error(`${writerProc.name} exited with ${exit.code ?? exit.signal}\n${writerProc.output()}`);
    if (reader.reason !== 'last')
      ctx.log(
        `state growth: ${keys} keys: the reader saw ${reader.updates} of ${count} updates, then nothing for ${ctx.profile.idleMs} ms`,
      );
    const rate = perSecond(reader.updates - 1, reader.last_ms - reader.first_ms);
    return { keys, rate, rssMb: reader.rss_mb, cpuUs: reader.cpu_us / Math.max(1, reader.updates) };
  } finally {
    await ctx.stopStarted();
  }
}
