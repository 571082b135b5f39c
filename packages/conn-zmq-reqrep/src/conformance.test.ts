import { describeConformance } from '@sf/testkit/vitest';
import { reqrepPlugin } from './plugin.js';

// The plugin contract, on real sockets: a requester restarted replyer is reached again by itself.
describeConformance(reqrepPlugin, {
  pairs: [{ out: 'requester', in: 'replyer', reconnects: true }],
  creation: { requester: { timeout_ms: 2000 } },
});
