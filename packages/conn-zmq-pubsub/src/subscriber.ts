import type { TypeDefinition } from '@sf/core/plugin';
import { RECEIVE_HIGH_WATER_MARK_ARGUMENT, SOCKET_CREATION_ARGUMENTS, TopicSubscriber } from '@sf/zmq-base';

/**
 * The `subscriber` type: connects (or binds, with `is_binder`), subscribes to `msgpack(topic)` (or
 * to everything without a topic) and hands each payload, topic prefix removed, to the runner in
 * arrival order.
 */
export const subscriber: TypeDefinition = {
  side: 'in',
  kind: 'connection',
  peers: ['publisher'],
  addresses: ['subscriber'],
  handler: 'on_new_message',
  replies: false,
  creationArguments: {
    required: { on_new_message: Function },
    optional: { topic: String, is_binder: Boolean, ...RECEIVE_HIGH_WATER_MARK_ARGUMENT, ...SOCKET_CREATION_ARGUMENTS },
  },
  description: 'Receives messages from publishers, optionally only those under a topic, in arrival order.',
  create: (context) =>
    new TopicSubscriber(context, {
      label: 'subscriber',
      binds: context.creation.is_binder === true,
      deliver: (payload) => context.receive(payload),
    }),
};
