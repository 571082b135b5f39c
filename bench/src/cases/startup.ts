/** Case 6: `sf run` start-up to ready, and the idle memory (RSS) of one serving service. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { freePort } from '@sf/core/testing';
import type { CaseContext } from '../case-context.js';
import { sleep } from '../clock.js';
import { benchOrder, replyFrame } from '../payload.js';
import { type BenchProcess, READY, rawRun, sfRun } from '../processes.js';
import { type CaseResult, row, target } from '../results.js';
import { median } from '../stats.js';

const run = promisify(execFile);

/** Starts a replyer `startupRuns` times per side; times spawn → ready line, reads RSS after an idle pause. */
export async function startup(ctx: CaseContext): Promise<Omit<CaseResult, 'elapsedMs'>> {
  const idleMs = ctx.profile.mode === 'full' ? 2000 : 200;
  const sides = { framework: { ready: [] as number[], rss: [] as number[] }, raw: { ready: [] as number[], rss: [] as number[] } };
  const reply = await ctx.frameFile('reply', replyFrame(benchOrder()));
  for (let i = 0; i < ctx.profile.startupRuns; i++) {
    for (const side of ['framework', 'raw'] as const) {
      ctx.log(`start-up: ${side}, run ${i + 1}/${ctx.profile.startupRuns}`);
      const port = await freePort();
      const addresses = await ctx.addresses({ connections: { in: { orders: { replyer: `127.0.0.1:${port}` } } } });
      const proc: BenchProcess = ctx.track(
        side === 'framework'
          ? sfRun('bench-replyer.ts', ['-a', addresses])
          : rawRun('raw-replyer.mjs', { endpoint: `tcp://127.0.0.1:${port}`, reply }),
      );
      try {
        const readyAt = await proc.waitForLine(READY, ctx.profile.resultTimeoutMs);
        sides[side].ready.push(readyAt - proc.spawnedAt);
        await sleep(idleMs);
        sides[side].rss.push(await rssMb(proc));
      } finally {
        await ctx.stopStarted();
      }
    }
  }
  const ready = row('spawn → ready (median)', 'ms', median(sides.framework.ready), median(sides.raw.ready));
  return {
    id: 'startup',
    title: '6. Start-up to ready, and idle memory of one service',
    rows: [ready, row(`RSS after ${idleMs} ms idle (median)`, 'MB', median(sides.framework.rss), median(sides.raw.rss))],
    targets: [target('sf run spawn → ready ≤ 2.5 × raw', ready.ratio, '<=', 2.5)],
    notes: [
      `${ctx.profile.startupRuns} start(s) per side of a replyer: \`sf run -s bench-replyer.ts\` (loads the .ts service, discovers the plugins, checks the models, binds) until its "ready" log line, against \`node raw-replyer.mjs\` (zeromq.js only) until it prints ready.`,
    ],
  };
}

async function rssMb(proc: BenchProcess): Promise<number> {
  const pid = proc.child.pid;
  if (pid === undefined) return Number.NaN;
  const { stdout } = await run('ps', ['-o', 'rss=', '-p', String(pid)]);
  return Number(stdout.trim()) / 1024;
}
