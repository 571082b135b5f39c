/** Runs every case in order and gathers one report. */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { CaseContext } from './case-context.js';
import { codecCost } from './cases/codec-cost.js';
import { deltaState } from './cases/delta-state.js';
import { http } from './cases/http.js';
import { moleculer } from './cases/moleculer.js';
import { nats } from './cases/nats.js';
import { pubsubThroughput } from './cases/pubsub-throughput.js';
import { reqrepConcurrency } from './cases/reqrep-concurrency.js';
import { reqrepLatency } from './cases/reqrep-latency.js';
import { scaling } from './cases/scaling.js';
import { stateGrowth } from './cases/state-growth.js';
import { startup } from './cases/startup.js';
import { stopAll } from './processes.js';
import type { BenchProfile } from './profile.js';
import type { BenchReport, CaseResult, Machine } from './results.js';

/** Options of {@link runBench}. */
export interface RunBenchOptions {
  /** Counts and waits. */
  profile: BenchProfile;
  /** Only the cases with these ids (all when absent). */
  only?: readonly string[];
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

type CaseBody = (ctx: CaseContext) => Promise<Omit<CaseResult, 'elapsedMs'>>;

/** Runs the cases; a failing case is recorded with its error and the run goes on. Leaves no process behind. */
export async function runBench(options: RunBenchOptions): Promise<BenchReport> {
  const log = options.log ?? (() => {});
  const dir = await mkdtemp(join(tmpdir(), 'sf-bench-'));
  const ctx = new CaseContext(options.profile, dir, log);
  const startedAt = new Date();
  const loadBefore = loadavg()[0]!;
  let rawPubSubRate: number | null = null;
  const bodies: [string, CaseBody][] = [
    [
      'pubsub-throughput',
      async (c) => {
        const measured = await pubsubThroughput(c);
        rawPubSubRate = measured.rawRate;
        return measured.result;
      },
    ],
    ['reqrep-latency', reqrepLatency],
    ['reqrep-concurrency', reqrepConcurrency],
    ['delta-state', (c) => deltaState(c, rawPubSubRate)],
    ['state-growth', stateGrowth],
    ['codec-cost', codecCost],
    ['startup', startup],
    ['scaling', scaling],
    ['nats', nats],
    ['moleculer', moleculer],
    ['http', http],
  ];
  const cases: CaseResult[] = [];
  try {
    for (const [id, body] of bodies) {
      if (options.only && !options.only.includes(id)) continue;
      cases.push(await runCase(id, body, ctx));
    }
  } finally {
    await stopAll();
    await rm(dir, { recursive: true, force: true });
  }
  return {
    mode: options.profile.mode,
    startedAt: startedAt.toISOString(),
    elapsedS: (Date.now() - startedAt.getTime()) / 1000,
    machine: machine(loadBefore),
    cases,
  };
}

async function runCase(id: string, body: CaseBody, ctx: CaseContext): Promise<CaseResult> {
  const started = performance.now();
  try {
    return { ...(await body(ctx)), elapsedMs: performance.now() - started };
  } catch (error) {
    await ctx.stopStarted();
    const message = error instanceof Error ? error.message : String(error);
    ctx.log(`case ${id} failed: ${message}`);
    return { id, title: id, rows: [], targets: [], notes: [], error: message, elapsedMs: performance.now() - started };
  }
}

function machine(loadBefore: number): Machine {
  const cores = cpus();
  return {
    cpus: cores.length,
    cpuModel: cores[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    memoryMb: Math.round(totalmem() / (1024 * 1024)),
    loadBefore,
    loadAfter: loadavg()[0]!,
  };
}
