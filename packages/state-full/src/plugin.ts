import { definePlugin } from '@sf/core/plugin';
import { fullUpdateIn } from './full-update-in.js';
import { fullUpdateOut } from './full-update-out.js';

/** The `@sf/state-full` plugin: states replicated by publishing their whole value. */
export const fullStatePlugin = definePlugin({
  name: '@sf/state-full',
  // The @sf/core major this package is built and tested against (not read from the installed core).
  coreMajor: 0,
  types: { full_update_out: fullUpdateOut, full_update_in: fullUpdateIn },
});
