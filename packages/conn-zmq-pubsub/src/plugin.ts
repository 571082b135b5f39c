import { definePlugin } from '@sf/core/plugin';
import { publisher } from './publisher.js';
import { subscriber } from './subscriber.js';

/** The `@sf/conn-zmq-pubsub` plugin: ZeroMQ publish/subscribe connections. */
export const pubsubPlugin = definePlugin({
  name: '@sf/conn-zmq-pubsub',
  // The @sf/core major this package is built and tested against (not read from the installed core).
  coreMajor: 0,
  types: { publisher, subscriber },
});
