import { definePlugin } from '@sf/core/plugin';
import { replyer } from './replyer.js';
import { requester } from './requester.js';

/** The `@sf/conn-zmq-reqrep` plugin: ZeroMQ request/reply connections. */
export const reqrepPlugin = definePlugin({
  name: '@sf/conn-zmq-reqrep',
  // The @sf/core major this package is built and tested against (not read from the installed core).
  coreMajor: 0,
  types: { replyer, requester },
});
