import { definePlugin } from '@sf/core/plugin';
import { externalTarget } from './external-target.js';

/** The `@sf/conn-external` plugin: out connections that call a function. */
export const externalPlugin = definePlugin({
  name: '@sf/conn-external',
  // The @sf/core major this package is built and tested against.
  coreMajor: 0,
  types: { external_target: externalTarget },
});
