import type { Endpoint, EndpointContext, OutboundMessage, TypeDefinition } from '@sf/core/plugin';
import { SEND_HIGH_WATER_MARK_ARGUMENT, SOCKET_CREATION_ARGUMENTS, TopicPublisher } from '@sf/zmq-base';

/** Default `wait_after_creation_s`: time `open()` waits so subscribers can join before the first publication. */
export { DEFAULT_WAIT_AFTER_CREATION_S } from '@sf/zmq-base';

/**
 * The `publisher` type: binds (or connects, with `is_x_pub`, to a proxy's XSUB side) and publishes
 * each message as one frame, `msgpack(topic)` followed by the payload when a `topic` is set. A
 * message that a subscriber's full queue (`send_high_water_mark`) cannot take is dropped for every
 * subscriber, counted and logged (throttled, and a total at close); with `count_drops: false`, as
 * plain ZeroMQ, only that subscriber loses it, silently.
 */
export const publisher: TypeDefinition = {
  side: 'out',
  kind: 'connection',
  peers: ['subscriber'],
  addresses: ['publisher'],
  replies: false,
  creationArguments: {
    optional: {
      topic: String,
      is_x_pub: Boolean,
      wait_after_creation_s: Number,
      count_drops: Boolean,
      ...SEND_HIGH_WATER_MARK_ARGUMENT,
      ...SOCKET_CREATION_ARGUMENTS,
    },
  },
  description: 'Publishes messages to subscribers, optionally under a topic.',
  create: (context) => new PublisherEndpoint(context),
};

class PublisherEndpoint implements Endpoint {
  readonly #socket: TopicPublisher;

  constructor(context: EndpointContext) {
    this.#socket = new TopicPublisher(context, {
      label: 'publisher',
      connects: context.creation.is_x_pub === true,
      bursts: true,
      countDrops: context.creation.count_drops !== false,
    });
  }

  open(): Promise<void> {
    return this.#socket.open();
  }

  close(): Promise<void> {
    return this.#socket.close();
  }

  send(message: OutboundMessage): Promise<undefined> {
    let frame: Uint8Array;
    try {
      // Refused before encoding when closed; an encoding error rejects like any other.
      this.#socket.checkOpen();
      frame = message.frame(this.#socket.prefix);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#socket.send(frame) as Promise<undefined>;
  }
}
