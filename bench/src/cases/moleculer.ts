/** Case 9: Moleculer as a reference: request/reply p50/p99 and lossless event throughput, beside the framework. */
import type { CaseContext } from '../case-context.js';
import { floorRows, runNetFloor } from '../floor-run.js';
import { type MoleculerEvents, runMoleculerEvents, runMoleculerReqRep } from '../moleculer-run.js';
import { type PubSubOutcome, runPubSub } from '../pubsub-run.js';
import { type ReqRepOutcome, runReqRep } from '../reqrep-run.js';
import { type CaseResult, row } from '../results.js';
import { medianBy, percentile, perSecond } from '../stats.js';

/**
 * Runs the framework's request/reply and lossless pub/sub and Moleculer's calls and events,
 * `repeats` runs each, alternating. The framework is in the framework column and Moleculer in
 * the raw column, so the ratio is framework / Moleculer.
 */
export async function moleculer(ctx: CaseContext): Promise<Omit<CaseResult, 'elapsedMs'>> {
  const { latencyCount: count, latencyWarmup: warmup, pubsubCount, repeats } = ctx.profile;
  const reqrep = { callers: [1], count, warmup, delayMs: 0 };
  const lossless = { subscribers: 1, count: pubsubCount, size: 0, intervalMs: 0, latency: false, highWaterMark: 0 };
  const calls: Record<'sf' | 'moleculer', ReqRepOutcome[]> = { sf: [], moleculer: [] };
  const ours: PubSubOutcome[] = [];
  const events: MoleculerEvents[] = [];
  const floors: ReqRepOutcome[] = [];
  for (let i = 1; i <= repeats; i++) {
    ctx.log(`Moleculer beside the framework: ${count} calls and ${pubsubCount} events each, run ${i}/${repeats}`);
    calls.sf.push(await runReqRep(ctx, 'framework', reqrep));
    calls.moleculer.push(await runMoleculerReqRep(ctx, count, warmup));
    floors.push(await runNetFloor(ctx, count, warmup));
    ours.push(await runPubSub(ctx, 'framework', lossless));
    events.push(await runMoleculerEvents(ctx, pubsubCount));
  }
  const p50Of = (outcome: ReqRepOutcome): number => percentile(outcome.runs[0]?.latencies_us ?? [], 50);
  const [sf] = medianBy(calls.sf, p50Of).runs;
  const [mol] = medianBy(calls.moleculer, p50Of).runs;
  if (!sf || !mol) throw new Error('the requesters reported no run');
  const flow = medianBy(ours, (run) => run.rates[0] ?? Number.NaN);
  const event = medianBy(events, (run) => run.rate);
  return {
    id: 'moleculer',
    title: '9. Moleculer as a reference (the framework in the framework column, Moleculer in the raw column)',
    rows: [
      row('request/reply p50 round trip', 'µs', percentile(sf.latencies_us, 50), percentile(mol.latencies_us, 50)),
      row('request/reply p99 round trip', 'µs', percentile(sf.latencies_us, 99), percentile(mol.latencies_us, 99)),
      row('sequential calls', 'calls/s', perSecond(sf.calls, sf.elapsed_ms), perSecond(mol.calls, mol.elapsed_ms)),
      ...floorRows(sf.latencies_us, mol.latencies_us, floors),
      row('pub/sub (events) received, lossless', 'msg/s', flow.rates[0] ?? null, event.rate),
      row('pub/sub (events) delivered', '%', (100 * (flow.received[0] ?? 0)) / flow.sent, (100 * event.received) / event.sent),
    ],
    targets: [],
    notes: [
      'Moleculer 0.14.35 (0.15 requires Node.js 22), one ServiceBroker per process, TCP transporter with static loopback peers (no UDP discovery), MsgPack serializer (msgpack5); bench/raw/moleculer-node.mjs. Its payload is the order with the price as text (Moleculer has no Decimal), ours the same order with a Decimal.',
      `Request/reply: ${count.toLocaleString('en-US')} sequential calls after ${warmup} warm-up calls (framework: case 2's services; Moleculer: broker.call of an action). Events: ${pubsubCount.toLocaleString('en-US')} unpadded messages; the framework's publisher and subscriber with high-water marks 0 (nothing dropped), Moleculer's emit awaited per event (it has no high-water mark). Median of ${repeats} run(s) per side.`,
      'The floor (node:net ping-pong of case 2, run after each pair of request/reply runs): the "÷ floor" rows divide the framework\'s and Moleculer\'s round trips by it.',
    ],
  };
}
