import { describeConformance } from '@sf/testkit/vitest';
import { deltaPlugin } from './plugin.js';

// The plugin contract, on real sockets: `to_send` args are deltas; the in side holds the state, and
// follows an out side that restarts.
describeConformance(deltaPlugin, {
  pairs: [{ out: 'delta_update_out', in: 'delta_update_in', reconnects: true, restart: 'out' }],
  creation: { delta_update_out: { wait_after_creation_s: 0 }, delta_update_in: { snapshot_timeout_ms: 300 } },
  message: (_type, n) => ({ state: { n }, is_snapshot: false }),
  received: (_type, n) => ({ n }),
});
