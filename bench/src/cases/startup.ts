/** Case 6: `sf run` start-up to ready, the idle memory (RSS) of one serving service, and a system of small services under `sf up`. */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@sf/core/testing';
import type { CaseContext } from '../case-context.js';
import { sleep } from '../clock.js';
import { SERVICES_DIR } from '../paths.js';
import { benchOrder, replyFrame } from '../payload.js';
import { type BenchProcess, READY, rawRun, sfRun, sfUp } from '../processes.js';
import { type CaseResult, row, target } from '../results.js';
import { median, ratio } from '../stats.js';

const run = promisify(execFile);

/** The start-up target: spawn → ready of `sf run` at most this many times that of a raw zeromq.js process. */
const STARTUP_TARGET = 2.5;

/** A `sf up` note that a service is ready. */
const SERVICE_READY = /^sf up +\| \S+ ready$/;
/** A `sf up` note that a service was started, with its pid. */
const SERVICE_STARTED = /^sf up +\| started \S+ \(pid (\d+)\)$/;

interface Side {
  ready: number[];
  rss: number[];
}

/** Starts a replyer `startupRuns` times per side, then a system of `systemServices` services `systemRuns` times per side. */
export async function startup(ctx: CaseContext): Promise<Omit<CaseResult, 'elapsedMs'>> {
  const idleMs = ctx.profile.mode === 'full' ? 2000 : 200;
  const one = await serviceStarts(ctx, idleMs);
  const system = await systemStarts(ctx, idleMs);
  const n = ctx.profile.systemServices;
  const readyRatio = ratio(median(one.framework.ready), median(one.raw.ready));
  const perService = (side: Side, pick: 'ready' | 'rss') => median(side[pick]) / n;
  return {
    id: 'startup',
    title: '6. Start-up to ready, and idle memory: one service, and a system of small services',
    rows: [
      row('spawn → ready (median)', 'ms', median(one.framework.ready), median(one.raw.ready)),
      row(`RSS after ${idleMs} ms idle (median)`, 'MB', median(one.framework.rss), median(one.raw.rss)),
      row(`${n} services: spawn → all ready (median)`, 'ms', median(system.framework.ready), median(system.raw.ready)),
      row(`${n} services: total RSS after ${idleMs} ms idle (median)`, 'MB', median(system.framework.rss), median(system.raw.rss)),
      row(`${n} services: all ready ÷ ${n}, per service`, 'ms', perService(system.framework, 'ready'), perService(system.raw, 'ready')),
      row(`${n} services: RSS per service`, 'MB', perService(system.framework, 'rss'), perService(system.raw, 'rss')),
    ],
    targets: [target(`start-up (spawn → ready) ≤ ${STARTUP_TARGET} × raw`, readyRatio, '<=', STARTUP_TARGET)],
    notes: [
      `${ctx.profile.startupRuns} start(s) per side of a replyer: \`sf run -s bench-replyer.ts\` (loads the .ts service, discovers the plugins, checks the models, binds) until its "ready" log line, against \`node raw-replyer.mjs\` (zeromq.js only) until it prints ready.`,
      `${ctx.profile.systemRuns} start(s) per side of a system of ${n} services: \`sf up\` of ${n / 2} replyers (system-replyer.ts) and ${n / 2} relays (system-relay.ts, each a replyer whose handler calls its replyer, so sf up starts that one first), from the spawn of sf up (which checks the system first) until it has noted every service ready; its total RSS is that of the ${n} service processes (not sf up's own). Raw: ${n} \`node raw-replyer.mjs\` spawned at once, until each printed ready.`,
    ],
  };
}

async function serviceStarts(ctx: CaseContext, idleMs: number): Promise<{ framework: Side; raw: Side }> {
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
        sides[side].rss.push(await rssMb([proc.child.pid]));
      } finally {
        await ctx.stopStarted();
      }
    }
  }
  return sides;
}

async function systemStarts(ctx: CaseContext, idleMs: number): Promise<{ framework: Side; raw: Side }> {
  const n = ctx.profile.systemServices;
  const sides = { framework: { ready: [] as number[], rss: [] as number[] }, raw: { ready: [] as number[], rss: [] as number[] } };
  const file = await systemFile(ctx, n);
  const reply = await ctx.frameFile('reply', replyFrame(benchOrder()));
  for (let i = 0; i < ctx.profile.systemRuns; i++) {
    for (const side of ['framework', 'raw'] as const) {
      ctx.log(`start-up of ${n} services: ${side}, run ${i + 1}/${ctx.profile.systemRuns}`);
      try {
        if (side === 'framework') {
          const up = ctx.track(sfUp(file));
          const readyAt = await up.waitForLine(SERVICE_READY, ctx.profile.resultTimeoutMs, n);
          sides.framework.ready.push(readyAt - up.spawnedAt);
          await sleep(idleMs);
          const pids = up.lines.flatMap((line) => SERVICE_STARTED.exec(line)?.[1] ?? []).map(Number);
          sides.framework.rss.push(await rssMb(pids));
        } else {
          const ports = await Promise.all(Array.from({ length: n }, () => freePort()));
          const spawnedAt = performance.now();
          const procs = ports.map((port) => ctx.track(rawRun('raw-replyer.mjs', { endpoint: `tcp://127.0.0.1:${port}`, reply })));
          const readyAt = await Promise.all(procs.map((proc) => proc.waitForLine(READY, ctx.profile.resultTimeoutMs)));
          sides.raw.ready.push(Math.max(...readyAt) - spawnedAt);
          await sleep(idleMs);
          sides.raw.rss.push(await rssMb(procs.map((proc) => proc.child.pid)));
        }
      } finally {
        await ctx.stopStarted();
      }
    }
  }
  return sides;
}

/** A system file of `n` services: relay i (listed first; an entry point) calls replyer i, so `sf up` must start the replyer first. */
async function systemFile(ctx: CaseContext, n: number): Promise<string> {
  const services: Record<string, { service: string }> = {};
  const wires: { from: string; to: string }[] = [];
  // A relay's `ping` is called from outside the system: an entry point, at a free port.
  const entries: Record<string, string> = {};
  for (let i = 0; i < n / 2; i++) {
    entries[`relay-${i}.ping`] = `127.0.0.1:${await freePort()}`;
    services[`relay-${i}`] = { service: join(SERVICES_DIR, 'system-relay.ts') };
    services[`replyer-${i}`] = { service: join(SERVICES_DIR, 'system-replyer.ts') };
    wires.push({ from: `relay-${i}.next`, to: `replyer-${i}.ping` });
  }
  const path = join(ctx.file('system'), 'sf.system.json');
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, JSON.stringify({ name: 'bench-system', services, wires, entries }, null, 2));
  return path;
}

/** Total RSS of the processes, MB (NaN when none is known). */
async function rssMb(pids: readonly (number | undefined)[]): Promise<number> {
  const known = pids.filter((pid): pid is number => pid !== undefined);
  if (known.length === 0) return Number.NaN;
  const { stdout } = await run('ps', ['-o', 'rss=', '-p', known.join(',')]);
  return (
    stdout
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((kb) => kb > 0)
      .reduce((sum, kb) => sum + kb, 0) / 1024
  );
}
