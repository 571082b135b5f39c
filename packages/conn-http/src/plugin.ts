import { definePlugin } from '@sf/core/plugin';
import { httpReplyer } from './http-replyer.js';

/** The `@sf/conn-http` plugin: an HTTP front door. */
export const httpPlugin = definePlugin({
  name: '@sf/conn-http',
  // The @sf/core major this package is built and tested against (not read from the installed core).
  coreMajor: 0,
  types: { http_replyer: httpReplyer },
});
