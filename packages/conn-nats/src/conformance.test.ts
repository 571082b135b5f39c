import { describeConformance } from '@sf/testkit/vitest';
import { afterAll, beforeAll, describe } from 'vitest';
import { natsPlugin } from './plugin.js';
import { type NatsCluster, natsAvailability, startNatsCluster } from './testing.js';

const nats = natsAvailability();
let server: NatsCluster | undefined;
// Every endpoint connects to one real nats-server through its `nats` address (host:port).
const addresses = async () => {
  const nats = server!.nodes[0]!.url.replace('nats://', '');
  return { out: { nats }, in: { nats } };
};

// The plugin contract, on a real nats-server: replyers and subscribers come back after a restart.
describe.skipIf(!nats.binary)(`@sf/conn-nats on one nats-server${nats.skip}`, () => {
  beforeAll(async () => {
    server = await startNatsCluster(nats.binary!, 1);
  }, 90_000);
  afterAll(() => server?.stop());

  describeConformance(natsPlugin, {
    pairs: [
      { out: 'nats_requester', in: 'nats_replyer', reconnects: true },
      { out: 'nats_publisher', in: 'nats_subscriber', reconnects: true },
    ],
    addresses,
    // The two ends of a test pair have different model names: one subject per pair joins them.
    creation: {
      nats_requester: { subject: 'conformance.reqrep' },
      nats_replyer: { subject: 'conformance.reqrep' },
      nats_publisher: { subject: 'conformance.pubsub' },
      nats_subscriber: { subject: 'conformance.pubsub' },
    },
  });
});
