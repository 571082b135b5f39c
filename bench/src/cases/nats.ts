/** Case 8: the same services on NATS beside ZeroMQ: request/reply p50/p99 and pub/sub throughput. */
import { natsAvailability, startNatsCluster } from '@sf/conn-nats/testing';
import type { CaseContext } from '../case-context.js';
import { type PubSubOutcome, runPubSub } from '../pubsub-run.js';
import { type ReqRepOutcome, runReqRep } from '../reqrep-run.js';
import { type CaseResult, row } from '../results.js';
import { medianBy, percentile, perSecond } from '../stats.js';

/**
 * Runs the framework's bench services on ZeroMQ and on one local nats-server (the NATS variants
 * swap only the connection types), `repeats` runs each, alternating. The NATS figures are in the
 * framework column and the ZeroMQ ones in the raw column, so the ratio is NATS / ZeroMQ.
 */
export async function nats(ctx: CaseContext): Promise<Omit<CaseResult, 'elapsedMs'>> {
  const { binary } = natsAvailability();
  if (!binary) throw new Error('nats-server is not installed (apt-get install -y nats-server)');
  const server = await startNatsCluster(binary, 1);
  try {
    const address = server.nodes[0]!.url.replace('nats://', '');
    const reqrep = { callers: [1], count: ctx.profile.latencyCount, warmup: ctx.profile.latencyWarmup, delayMs: 0 };
    const pubsub = { subscribers: 1, count: ctx.profile.pubsubCount, size: 0, intervalMs: 0, latency: false };
    const calls: Record<'nats' | 'zmq', ReqRepOutcome[]> = { nats: [], zmq: [] };
    const flows: Record<'nats' | 'zmq', PubSubOutcome[]> = { nats: [], zmq: [] };
    for (let i = 1; i <= ctx.profile.repeats; i++) {
      for (const transport of ['nats', 'zmq'] as const) {
        const on = transport === 'nats' ? { nats: address } : {};
        ctx.log(
          `NATS beside ZeroMQ: ${transport} request/reply ${reqrep.count} calls, pub/sub ${pubsub.count} messages, run ${i}/${ctx.profile.repeats}`,
        );
        calls[transport].push(await runReqRep(ctx, 'framework', { ...reqrep, ...on }));
        flows[transport].push(await runPubSub(ctx, 'framework', { ...pubsub, ...on }));
      }
    }
    const p50Of = (outcome: ReqRepOutcome): number => percentile(outcome.runs[0]?.latencies_us ?? [], 50);
    const [natsCalls] = medianBy(calls.nats, p50Of).runs;
    const [zmqCalls] = medianBy(calls.zmq, p50Of).runs;
    if (!natsCalls || !zmqCalls) throw new Error('the requesters reported no run');
    const natsFlow = medianBy(flows.nats, (run) => run.rates[0] ?? Number.NaN);
    const zmqFlow = medianBy(flows.zmq, (run) => run.rates[0] ?? Number.NaN);
    return {
      id: 'nats',
      title: '8. NATS beside ZeroMQ (the same services; NATS in the framework column, ZeroMQ in the raw column)',
      rows: [
        row(
          'request/reply p50 round trip',
          'µs',
          p50Of({ runs: [natsCalls], replyerCpuUs: 0 }),
          p50Of({ runs: [zmqCalls], replyerCpuUs: 0 }),
        ),
        row('request/reply p99 round trip', 'µs', percentile(natsCalls.latencies_us, 99), percentile(zmqCalls.latencies_us, 99)),
        row(
          'sequential calls',
          'calls/s',
          perSecond(natsCalls.calls, natsCalls.elapsed_ms),
          perSecond(zmqCalls.calls, zmqCalls.elapsed_ms),
        ),
        row('pub/sub received', 'msg/s', natsFlow.rates[0] ?? null, zmqFlow.rates[0] ?? null),
        row(
          'pub/sub delivered',
          '%',
          (100 * (natsFlow.received[0] ?? 0)) / natsFlow.sent,
          (100 * (zmqFlow.received[0] ?? 0)) / zmqFlow.sent,
        ),
      ],
      targets: [],
      notes: [
        `One local nats-server (${binary}; no cluster, no TLS); the services are bench-replyer/-requester/-publisher/-subscriber with their connection types swapped by onNats. ${reqrep.count} sequential calls after ${reqrep.warmup} warm-up calls; ${pubsub.count} unpadded publications as fast as to_send goes. Median of ${ctx.profile.repeats} run(s) per transport.`,
        'NATS request/reply goes through the server (two hops), ZeroMQ straight to the replyer; NATS pub/sub drops messages for a subscriber that falls behind (slow consumer), ZeroMQ at its high-water mark.',
      ],
    };
  } finally {
    await server.stop();
  }
}
