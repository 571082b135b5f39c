import { type NatsCluster, natsAvailability, startNatsCluster } from '@sf/conn-nats/testing';
import { describeConformance } from '@sf/testkit/vitest';
import { afterAll, beforeAll, describe } from 'vitest';
import { natsKvPlugin } from './plugin.js';

const nats = natsAvailability();
let server: NatsCluster | undefined;
// Both sides connect to one real nats-server through their `nats` address (host:port).
const addresses = async () => {
  const nats = server!.nodes[0]!.url.replace('nats://', '');
  return { out: { nats }, in: { nats } };
};

// The plugin contract, on a real nats-server with JetStream: `to_send` args are deltas written to
// the bucket; the in side watches it, and follows an out side that restarts.
describe.skipIf(!nats.binary)(`@sf/state-nats-kv on one nats-server${nats.skip}`, () => {
  beforeAll(async () => {
    server = await startNatsCluster(nats.binary!, 1);
  }, 90_000);
  afterAll(() => server?.stop());

  describeConformance(natsKvPlugin, {
    pairs: [{ out: 'nats_kv_out', in: 'nats_kv_in', reconnects: true, restart: 'out' }],
    addresses,
    // The two ends of a test pair have different model names: one bucket joins them.
    creation: { nats_kv_out: { bucket: 'sf_conformance' }, nats_kv_in: { bucket: 'sf_conformance' } },
    message: (_type, n) => ({ state: { n }, is_snapshot: false }),
    received: (_type, n) => ({ n }),
  });
});
