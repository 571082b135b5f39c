import { definePlugin } from '@sf/core/plugin';
import { natsKvIn } from './kv-in.js';
import { natsKvOut } from './kv-out.js';

/** The `@sf/state-nats-kv` plugin: a state replicated by a NATS JetStream KV bucket. */
export const natsKvPlugin = definePlugin({
  name: '@sf/state-nats-kv',
  // The @sf/core major this package is built and tested against (not read from the installed core).
  coreMajor: 0,
  types: { nats_kv_out: natsKvOut, nats_kv_in: natsKvIn },
});
