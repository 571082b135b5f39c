import { describeConformance } from '@sf/testkit/vitest';
import { fullStatePlugin } from './plugin.js';

// The plugin contract, on real sockets: the in side sees each whole value, and follows an out side
// that restarts.
describeConformance(fullStatePlugin, {
  pairs: [{ out: 'full_update_out', in: 'full_update_in', reconnects: true, restart: 'out' }],
  creation: { full_update_out: { wait_after_creation_s: 0 } },
});
