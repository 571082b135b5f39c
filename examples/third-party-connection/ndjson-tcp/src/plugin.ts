import { definePlugin } from '@sf/core/plugin';
import { ndjsonIn } from './ndjson-in.js';
import { ndjsonOut } from './ndjson-out.js';

/** The `sf-conn-ndjson-tcp` plugin: fire-and-forget connections over TCP, one JSON line per message. */
export const ndjsonTcpPlugin = definePlugin({
  name: 'sf-conn-ndjson-tcp',
  // The @sf/core major this package is built and tested against; core refuses the plugin on another major.
  coreMajor: 0,
  types: { ndjson_in: ndjsonIn, ndjson_out: ndjsonOut },
});
