import { definePlugin } from '@sf/core/plugin';
import { natsPublisher, natsSubscriber } from './publisher.js';
import { natsReplyer } from './replyer.js';
import { natsRequester } from './requester.js';

/** The `@sf/conn-nats` plugin: request/reply and publish/subscribe connections over NATS. */
export const natsPlugin = definePlugin({
  name: '@sf/conn-nats',
  // The @sf/core major this package is built and tested against (not read from the installed core).
  coreMajor: 0,
  types: { nats_requester: natsRequester, nats_replyer: natsReplyer, nats_publisher: natsPublisher, nats_subscriber: natsSubscriber },
});
