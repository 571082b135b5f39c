/**
 * One request/reply run, framework or raw: a replyer process, then one requester process that,
 * for each caller count, runs that many concurrent calling loops.
 */
import { freePort } from '@sf/core/testing';
import type { CaseContext } from './case-context.js';
import { benchOrder, replyFrame, requestFrame } from './payload.js';
import type { Side } from './pubsub-run.js';
import { type BenchProcess, READY, rawRun, sfRun } from './processes.js';
import { readResult } from './result-file.js';

/** What to request. */
export interface ReqRepPlan {
  /** Caller counts, run one after the other against the same replyer. */
  callers: number[];
  /** Calls per caller. */
  count: number;
  /** Warm-up calls per caller before each measured run. */
  warmup: number;
  /** Simulated I/O in the replyer's handler, ms. */
  delayMs: number;
  /** Framework side: the `concurrency` of the replyer and of the requester (1 when absent). */
  concurrency?: number;
  /** Framework side on NATS instead of ZeroMQ: the nats-server's `host:port`. */
  nats?: string;
  /** Framework side: both services trace every call (`sf run --otlp <this URL> --trace-sampling 1`). */
  otlp?: string;
}

/** One caller count's figures. */
export interface ReqRepRun {
  /** Concurrent callers. */
  callers: number;
  /** Calls made (all callers). */
  calls: number;
  /** Wall time of the measured calls, ms. */
  elapsed_ms: number;
  /** Requester's CPU time during the measured calls, µs. */
  cpu_us: number;
  /** Round trip of every measured call, µs. */
  latencies_us: number[];
}

/** What a request/reply run measured. */
export interface ReqRepOutcome {
  /** One entry per caller count, in the plan's order. */
  runs: ReqRepRun[];
  /** Replyer's CPU time per request handled (warm-up included), µs. */
  replyerCpuUs: number;
}

/** Runs the plan on `side` and stops every process it started. */
export async function runReqRep(ctx: CaseContext, side: Side, plan: ReqRepPlan): Promise<ReqRepOutcome> {
  const port = await freePort();
  const out = ctx.file(`${side}-requester.json`);
  const replyerOut = ctx.file(`${side}-replyer.json`);
  try {
    const replyer = ctx.track(
      side === 'framework' ? await startSfReplyer(ctx, port, plan, replyerOut) : await startRawReplyer(ctx, port, plan, replyerOut),
    );
    await replyer.waitForLine(READY, ctx.profile.resultTimeoutMs);
    const requester = ctx.track(
      side === 'framework' ? await startSfRequester(ctx, port, plan, out) : await startRawRequester(ctx, port, plan, out),
    );
    const exit = await requester.exited(ctx.profile.resultTimeoutMs);
    if (exit.code !== 0) throw new Error(`${requester.name} exited with ${exit.code ?? exit.signal}\n${requester.output()}`);
    const { runs } = await readResult<{ runs: ReqRepRun[] }>(out, 1000);
    // The replyer writes its figures as it stops.
    const stopped = await replyer.stop();
    if (stopped.code !== 0)
      throw new Error(`${replyer.name} exited with ${stopped.code ?? stopped.signal} when stopped\n${replyer.output()}`);
    const handled = await readResult<{ handled: number; cpu_us: number }>(replyerOut, 1000);
    return { runs, replyerCpuUs: handled.handled > 0 ? handled.cpu_us / handled.handled : Number.NaN };
  } finally {
    await ctx.stopStarted();
  }
}

function requesterArgs(plan: ReqRepPlan, out: string): Record<string, string> {
  return { out, count: String(plan.count), warmup: String(plan.warmup), callers: plan.callers.join(',') };
}

/** `--concurrency`, and `--otlp` when the plan traces. */
function concurrencyArgs(plan: ReqRepPlan): string[] {
  return ['--concurrency', String(plan.concurrency ?? 1), ...(plan.otlp ? ['--otlp', plan.otlp, '--trace-sampling', '1'] : [])];
}

async function startSfReplyer(ctx: CaseContext, port: number, plan: ReqRepPlan, out: string): Promise<BenchProcess> {
  const addresses = await ctx.addresses({
    connections: { in: { orders: plan.nats ? { nats: plan.nats } : { replyer: `127.0.0.1:${port}` } } },
  });
  return sfRun(plan.nats ? 'nats-replyer.ts' : 'bench-replyer.ts', [
    '-a',
    addresses,
    '--delay_ms',
    String(plan.delayMs),
    '--out',
    out,
    ...concurrencyArgs(plan),
  ]);
}

async function startRawReplyer(ctx: CaseContext, port: number, plan: ReqRepPlan, out: string): Promise<BenchProcess> {
  const reply = await ctx.frameFile('reply', replyFrame(benchOrder()));
  return rawRun('raw-replyer.mjs', { endpoint: `tcp://127.0.0.1:${port}`, reply, delay_ms: plan.delayMs, out });
}

async function startSfRequester(ctx: CaseContext, port: number, plan: ReqRepPlan, out: string): Promise<BenchProcess> {
  const addresses = await ctx.addresses({
    connections: { out: { orders: plan.nats ? { nats: plan.nats } : { requester: `127.0.0.1:${port}` } } },
  });
  const pairs = Object.entries(requesterArgs(plan, out)).flatMap(([key, value]) => [`--${key}`, value]);
  return sfRun(plan.nats ? 'nats-requester.ts' : 'bench-requester.ts', ['-m', '-a', addresses, ...pairs, ...concurrencyArgs(plan)]);
}

async function startRawRequester(ctx: CaseContext, port: number, plan: ReqRepPlan, out: string): Promise<BenchProcess> {
  const frame = await ctx.frameFile('request', requestFrame(benchOrder()));
  return rawRun('raw-requester.mjs', { endpoint: `tcp://127.0.0.1:${port}`, frame, ...requesterArgs(plan, out) });
}
