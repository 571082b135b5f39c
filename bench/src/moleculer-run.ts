/**
 * One Moleculer run (the reference of case 9): a serving process (replyer or event subscriber),
 * then the calling one (requester or event publisher), both `raw/moleculer-node.mjs`, peers on
 * loopback ports taken free at run time.
 */
import { freePort } from '@sf/core/testing';
import type { CaseContext } from './case-context.js';
import { READY, rawRun } from './processes.js';
import type { ReqRepOutcome, ReqRepRun } from './reqrep-run.js';
import { readResult } from './result-file.js';
import { perSecond } from './stats.js';

/** What a Moleculer event run measured. */
export interface MoleculerEvents {
  /** Events emitted. */
  sent: number;
  /** Events received. */
  received: number;
  /** Receive rate from the first to the last event, events/s. */
  rate: number;
}

/** Sequential `broker.call`s, `count` after `warmup`. */
export async function runMoleculerReqRep(ctx: CaseContext, count: number, warmup: number): Promise<ReqRepOutcome> {
  const out = ctx.file('moleculer-requester.json');
  const replyerOut = ctx.file('moleculer-replyer.json');
  const [port, peerPort] = [await freePort(), await freePort()];
  try {
    const replyer = ctx.track(rawRun('moleculer-node.mjs', { role: 'replyer', port, peer_port: peerPort, out: replyerOut }));
    await replyer.waitForLine(READY, ctx.profile.resultTimeoutMs);
    const requester = ctx.track(rawRun('moleculer-node.mjs', { role: 'requester', port: peerPort, peer_port: port, count, warmup, out }));
    const exit = await requester.exited(ctx.profile.resultTimeoutMs);
    if (exit.code !== 0) throw new Error(`${requester.name} exited with ${exit.code ?? exit.signal}\n${requester.output()}`);
    const { runs } = await readResult<{ runs: ReqRepRun[] }>(out, 1000);
    await replyer.stop();
    const handled = await readResult<{ handled: number; cpu_us: number }>(replyerOut, 1000);
    return { runs, replyerCpuUs: handled.handled > 0 ? handled.cpu_us / handled.handled : Number.NaN };
  } finally {
    await ctx.stopStarted();
  }
}

/** `count` events emitted back to back (each awaited) to one subscriber process. */
export async function runMoleculerEvents(ctx: CaseContext, count: number): Promise<MoleculerEvents> {
  const out = ctx.file('moleculer-subscriber.json');
  const pubOut = ctx.file('moleculer-publisher.json');
  const [port, peerPort] = [await freePort(), await freePort()];
  try {
    const sub = ctx.track(
      rawRun('moleculer-node.mjs', { role: 'subscriber', port, peer_port: peerPort, count, idle_ms: ctx.profile.idleMs, out }),
    );
    await sub.waitForLine(READY, ctx.profile.resultTimeoutMs);
    const pub = ctx.track(rawRun('moleculer-node.mjs', { role: 'publisher', port: peerPort, peer_port: port, count, out: pubOut }));
    const exit = await pub.exited(ctx.profile.resultTimeoutMs);
    if (exit.code !== 0) throw new Error(`${pub.name} exited with ${exit.code ?? exit.signal}\n${pub.output()}`);
    const { sent } = await readResult<{ sent: number }>(pubOut, 1000);
    const result = await readResult<{ received: number; first_ms: number; last_ms: number }>(
      out,
      ctx.profile.resultTimeoutMs,
      () => sub.running,
    );
    return { sent, received: result.received, rate: perSecond(result.received - 1, result.last_ms - result.first_ms) };
  } finally {
    await ctx.stopStarted();
  }
}
