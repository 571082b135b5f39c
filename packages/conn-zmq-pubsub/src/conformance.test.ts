import { describeConformance } from '@sf/testkit/vitest';
import { pubsubPlugin } from './plugin.js';

// The plugin contract, on real sockets: subscribers join a restarted publisher again by themselves.
describeConformance(pubsubPlugin, {
  pairs: [{ out: 'publisher', in: 'subscriber', reconnects: true, restart: 'out' }],
  creation: { publisher: { wait_after_creation_s: 0 } },
});
