import type { Endpoint, EndpointContext, TypeDefinition } from '@sf/core/plugin';
import { stripTopic, topicPrefix } from '@sf/core/plugin';
import { Subscriber } from 'zeromq';
import { bindSocket, closeSocket, closedError, connectSocket, type SocketAddress, socketAddress } from '@sf/zmq-base';

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
    optional: { topic: String, is_binder: Boolean },
  },
  description: 'Receives messages from publishers, optionally only those under a topic, in arrival order.',
  create: (context) => new SubscriberEndpoint(context),
};

class SubscriberEndpoint implements Endpoint {
  readonly #context: EndpointContext;
  readonly #binds: boolean;
  readonly #address: SocketAddress;
  #socket: Subscriber | undefined;
  #paused = false;
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(context: EndpointContext) {
    this.#context = context;
    this.#binds = context.creation.is_binder === true;
    this.#address = socketAddress(context, 'subscriber', this.#binds ? 'bind' : 'connect');
  }

  async open(): Promise<void> {
    if (this.#closed) throw closedError(this.#context, this.#address, 'Cannot open a subscriber after close');
    if (this.#socket) return;
    const topic = this.#context.creation.topic;
    const prefix = typeof topic === 'string' ? topicPrefix(topic) : undefined;
    const socket = new Subscriber();
    if (prefix) socket.subscribe(Buffer.from(prefix));
    else socket.subscribe();
    if (this.#binds) await bindSocket(socket, this.#address, this.#context);
    else connectSocket(socket, this.#address, this.#context);
    this.#socket = socket;
    void this.#listen(socket, prefix);
  }

  async pause(): Promise<void> {
    this.#paused = true;
  }

  // Nothing to flush (a subscriber never replies), so close does not wait for a running handler.
  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    this.#paused = true;
    this.#closed = true;
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket) await closeSocket(socket, 0);
  }

  async #listen(socket: Subscriber, prefix: Uint8Array | undefined): Promise<void> {
    const logger = this.#context.logger;
    while (!this.#paused) {
      let frames: Buffer[];
      try {
        frames = await socket.receive();
      } catch (error) {
        if (!socket.closed) logger.error({ err: error }, 'subscriber stopped receiving: socket error');
        return;
      }
      const [frame] = frames;
      if (this.#paused) return;
      if (frames.length !== 1 || frame === undefined) {
        logger.warn({ frames: frames.length }, 'subscriber dropped a message that is not exactly one frame');
        continue;
      }
      try {
        await this.#context.receive(stripTopic(frame, prefix));
      } catch (error) {
        logger.error({ err: error }, 'subscriber failed to deliver a message');
      }
    }
  }
}
