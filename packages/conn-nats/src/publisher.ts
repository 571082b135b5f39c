import type { Endpoint, EndpointContext, OutboundMessage, TypeDefinition } from '@sf/core/plugin';
import { checkSubject } from './arguments.js';
import { NATS_ADDRESS, NATS_CREATION_ARGUMENTS, NatsClient } from './connection.js';
import { InboundEndpoint, QUEUE_ARGUMENTS } from './replyer.js';
import { SUBJECT_ARGUMENTS, subjectOf } from './subject.js';

/** Creation arguments of the publish/subscribe pair. */
const PUBSUB_ARGUMENTS = { topic: String, ...SUBJECT_ARGUMENTS, ...NATS_CREATION_ARGUMENTS } as const;

/** The subject a publisher publishes to: the connection's subject, and `.topic` when a topic is set. */
function publishSubject(context: EndpointContext): string {
  const topic = context.creation.topic as string | undefined;
  return topic === undefined ? subjectOf(context) : `${subjectOf(context)}.${checkSubject(context, topic, 'topic')}`;
}

/**
 * The `nats_publisher` type: publishes each message (the runner's frame) to the connection's
 * subject, or to `<subject>.<topic>` with a `topic`. At most once, like a ZeroMQ publisher: a
 * subscriber that is not connected misses it. `to_send` resolves once the frame is queued.
 */
export const natsPublisher: TypeDefinition = {
  side: 'out',
  kind: 'connection',
  peers: ['nats_subscriber'],
  addresses: [],
  optionalAddresses: [NATS_ADDRESS],
  replies: false,
  creationArguments: { optional: PUBSUB_ARGUMENTS },
  description: 'Publishes messages to the nats_subscribers of a subject (optionally under a topic).',
  create: (context) => new PublisherEndpoint(context),
};

class PublisherEndpoint implements Endpoint {
  readonly #subject: string;
  readonly #client: NatsClient;

  constructor(context: EndpointContext) {
    this.#subject = publishSubject(context);
    this.#client = new NatsClient(context, 'nats_publisher');
  }

  async open(): Promise<void> {
    await this.#client.open();
  }

  close(): Promise<void> {
    return this.#client.close();
  }

  async send(message: OutboundMessage): Promise<undefined> {
    this.#client.connection(this.#subject).publish(this.#subject, message.frame());
    return undefined;
  }
}

/**
 * The `nats_subscriber` type: subscribes to the connection's subject with its `topic` (which may
 * use NATS wildcards: `*` for one token, a last `>` for the rest), or to every topic under the
 * subject without one, and hands each message to the runner in arrival order. Every subscriber
 * gets every message (no queue group).
 */
export const natsSubscriber: TypeDefinition = {
  side: 'in',
  kind: 'connection',
  peers: ['nats_publisher'],
  addresses: [],
  optionalAddresses: [NATS_ADDRESS],
  handler: 'on_new_message',
  replies: false,
  creationArguments: { required: { on_new_message: Function }, optional: { ...PUBSUB_ARGUMENTS, ...QUEUE_ARGUMENTS } },
  description: 'Receives messages from nats_publishers of a subject, optionally only one topic, in arrival order.',
  create: (context) => {
    const topic = context.creation.topic as string | undefined;
    const base = subjectOf(context);
    // Without a topic: the bare subject and every topic under it (`>` does not match the bare subject).
    const subjects = topic === undefined ? [base, `${base}.>`] : [`${base}.${checkSubject(context, topic, 'topic', true)}`];
    return new InboundEndpoint(
      context,
      'nats_subscriber',
      async (frame) => {
        await context.receive(frame);
      },
      subjects,
      false,
    );
  },
};
