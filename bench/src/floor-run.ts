/**
 * The floor of request/reply on this machine: two Node processes doing the same calls over a plain
 * `node:net` TCP connection (noDelay), with case 2's request and reply bytes (`raw/net-pingpong.mjs`).
 */
import { freePort } from '@sf/core/testing';
import type { CaseContext } from './case-context.js';
import { benchOrder, replyFrame, requestFrame } from './payload.js';
import { READY, rawRun } from './processes.js';
import type { ReqRepOutcome, ReqRepRun } from './reqrep-run.js';
import { readResult } from './result-file.js';
import { type Row, row } from './results.js';
import { medianBy, percentile, ratio } from './stats.js';

/** Sequential calls over `node:net`, `count` after `warmup`. */
export async function runNetFloor(ctx: CaseContext, count: number, warmup: number): Promise<ReqRepOutcome> {
  const port = await freePort();
  const out = ctx.file('net-client.json');
  const serverOut = ctx.file('net-server.json');
  const request = requestFrame(benchOrder());
  const reply = replyFrame(benchOrder());
  try {
    const server = ctx.track(
      rawRun('net-pingpong.mjs', {
        role: 'server',
        port,
        reply: await ctx.frameFile('reply', reply),
        request_bytes: request.length,
        out: serverOut,
      }),
    );
    await server.waitForLine(READY, ctx.profile.resultTimeoutMs);
    const client = ctx.track(
      rawRun('net-pingpong.mjs', {
        role: 'client',
        port,
        frame: await ctx.frameFile('request', request),
        reply_bytes: reply.length,
        count,
        warmup,
        out,
      }),
    );
    const exit = await client.exited(ctx.profile.resultTimeoutMs);
    if (exit.code !== 0) throw new Error(`${client.name} exited with ${exit.code ?? exit.signal}\n${client.output()}`);
    const { runs } = await readResult<{ runs: ReqRepRun[] }>(out, 1000);
    await server.stop();
    const handled = await readResult<{ handled: number; cpu_us: number }>(serverOut, 1000);
    return { runs, replyerCpuUs: handled.handled > 0 ? handled.cpu_us / handled.handled : Number.NaN };
  } finally {
    await ctx.stopStarted();
  }
}

/**
 * Rows that put two columns' round trips (`framework`, `raw`: latencies in µs) beside the floor:
 * each column's p50 and p99 divided by the floor's, then the floor's own p50 and p99 (raw column),
 * from the median of `floors` by p50.
 */
export function floorRows(framework: readonly number[], raw: readonly number[], floors: readonly ReqRepOutcome[]): Row[] {
  const p50Of = (outcome: ReqRepOutcome): number => percentile(outcome.runs[0]?.latencies_us ?? [], 50);
  const floor = medianBy(floors, p50Of).runs[0]?.latencies_us ?? [];
  const over = (samples: readonly number[], p: number): number | null => ratio(percentile(samples, p), percentile(floor, p));
  return [
    row('p50 round trip ÷ node:net floor', '×', over(framework, 50), over(raw, 50)),
    row('p99 round trip ÷ node:net floor', '×', over(framework, 99), over(raw, 99)),
    row('node:net floor: p50 round trip (raw column)', 'µs', null, percentile(floor, 50)),
    row('node:net floor: p99 round trip (raw column)', 'µs', null, percentile(floor, 99)),
  ];
}
