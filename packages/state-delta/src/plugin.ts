import { definePlugin } from '@sf/core/plugin';
import { deltaUpdateIn } from './delta-in.js';
import { deltaUpdateOut } from './delta-out.js';

/** The `@sf/state-delta` plugin: states replicated as numbered deltas over ZeroMQ. */
export const deltaPlugin = definePlugin({
  name: '@sf/state-delta',
  // The @sf/core major this package is built and tested against (not read from the installed core).
  coreMajor: 0,
  types: { delta_update_out: deltaUpdateOut, delta_update_in: deltaUpdateIn },
});
