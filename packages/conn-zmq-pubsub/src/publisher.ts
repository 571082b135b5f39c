import type { Endpoint, EndpointContext, OutboundMessage, TypeDefinition } from '@sf/core/plugin';
import { framePayload, topicPrefix } from '@sf/core/plugin';
import { Publisher } from 'zeromq';
import {
  bindSocket,
  CLOSE_LINGER_MS,
  closeSocket,
  closedError,
  connectSocket,
  numberArgument,
  type SocketAddress,
  socketAddress,
} from '@sf/zmq-base';

/** Default `wait_after_creation_s`: time `open()` waits so subscribers can join before the first publication. */
export const DEFAULT_WAIT_AFTER_CREATION_S = 0.15;

/**
 * The `publisher` type: binds (or connects, with `is_x_pub`, to a proxy's XSUB side) and publishes
 * each message as one frame, `msgpack(topic)` followed by the payload when a `topic` is set.
 */
export const publisher: TypeDefinition = {
  side: 'out',
  kind: 'connection',
  peers: ['subscriber'],
  addresses: ['publisher'],
  replies: false,
  creationArguments: { optional: { topic: String, is_x_pub: Boolean, wait_after_creation_s: Number } },
  description: 'Publishes messages to subscribers, optionally under a topic.',
  create: (context) => new PublisherEndpoint(context),
};

class PublisherEndpoint implements Endpoint {
  readonly #context: EndpointContext;
  readonly #connects: boolean;
  readonly #address: SocketAddress;
  readonly #waitMs: number;
  #prefix: Uint8Array = new Uint8Array(0);
  #socket: Publisher | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(context: EndpointContext) {
    this.#context = context;
    this.#connects = context.creation.is_x_pub === true;
    this.#address = socketAddress(context, 'publisher', this.#connects ? 'connect' : 'bind');
    this.#waitMs = numberArgument(context, 'wait_after_creation_s', DEFAULT_WAIT_AFTER_CREATION_S, 0, false) * 1000;
  }

  async open(): Promise<void> {
    if (this.#closed) throw closedError(this.#context, this.#address, 'Cannot open a publisher after close');
    if (this.#socket) return;
    const topic = this.#context.creation.topic;
    if (typeof topic === 'string') this.#prefix = topicPrefix(topic);
    const socket = new Publisher();
    if (this.#connects) connectSocket(socket, this.#address, this.#context);
    else await bindSocket(socket, this.#address, this.#context);
    this.#socket = socket;
    if (this.#waitMs > 0) await sleep(this.#waitMs);
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    this.#closed = true;
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket) await closeSocket(socket, CLOSE_LINGER_MS);
  }

  async send(message: OutboundMessage): Promise<undefined> {
    const socket = this.#socket;
    if (!socket) throw closedError(this.#context, this.#address, 'The publisher is not open');
    await socket.send(framePayload(this.#prefix, message.frame));
    return undefined;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
