import type { Endpoint, EndpointContext, OutboundMessage, TypeDefinition } from '@sf/core/plugin';
import { framePayload, topicPrefix } from '@sf/core/plugin';
import {
  bindSocket,
  CLOSE_LINGER_MS,
  closedError,
  closeSocket,
  hasAddress,
  numberArgument,
  type SocketAddress,
  socketAddress,
} from '@sf/zmq-base';
import { Publisher } from 'zeromq';
import { SnapshotServer } from './snapshot-server.js';

/** Default `wait_after_creation_s`: time `open()` waits so subscribers can join before the first publication. */
export const DEFAULT_WAIT_AFTER_CREATION_S = 0.15;

/**
 * The `full_update_out` type: every `to_send('state', name, value)` publishes the whole value as
 * `{"args": value, "workflow_id": …}` on the `publisher` socket (after `msgpack(topic)` when a
 * `topic` is set). With a `replyer` address it also answers snapshot requests with the latest value.
 */
export const fullUpdateOut: TypeDefinition = {
  side: 'out',
  kind: 'state',
  peers: ['full_update_in'],
  addresses: ['publisher'],
  optionalAddresses: ['replyer'],
  replies: false,
  creationArguments: { optional: { topic: String, wait_after_creation_s: Number } },
  description: 'Publishes the whole state value on every update; optionally answers snapshot requests with the latest value.',
  create: (context) => new FullUpdateOutEndpoint(context),
};

class FullUpdateOutEndpoint implements Endpoint {
  readonly #context: EndpointContext;
  readonly #address: SocketAddress;
  readonly #waitMs: number;
  readonly #snapshots: SnapshotServer | undefined;
  #prefix: Uint8Array = new Uint8Array(0);
  #socket: Publisher | undefined;
  #closing: Promise<void> | undefined;

  constructor(context: EndpointContext) {
    this.#context = context;
    this.#address = socketAddress(context, 'publisher', 'bind');
    this.#waitMs = numberArgument(context, 'wait_after_creation_s', DEFAULT_WAIT_AFTER_CREATION_S, 0, false) * 1000;
    if (hasAddress(context, 'replyer')) this.#snapshots = new SnapshotServer(context, socketAddress(context, 'replyer', 'bind'));
  }

  async open(): Promise<void> {
    if (this.#closing) throw closedError(this.#context, this.#address, 'Cannot open a full_update_out state after close');
    if (this.#socket) return;
    const topic = this.#context.creation.topic;
    if (typeof topic === 'string') this.#prefix = topicPrefix(topic);
    const socket = new Publisher();
    await bindSocket(socket, this.#address, this.#context);
    this.#socket = socket;
    await this.#snapshots?.open();
    if (this.#waitMs > 0) await sleep(this.#waitMs);
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    const socket = this.#socket;
    this.#socket = undefined;
    await Promise.all([socket && closeSocket(socket, CLOSE_LINGER_MS), this.#snapshots?.close()]);
  }

  /** Publishes the whole value (already checked against the model by core) and keeps it for snapshots. */
  async send(message: OutboundMessage): Promise<undefined> {
    const socket = this.#socket;
    if (!socket) throw closedError(this.#context, this.#address, 'The full_update_out state is not open');
    const frame = message.frame;
    this.#snapshots?.keep(frame);
    await socket.send(framePayload(this.#prefix, frame));
    return undefined;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
