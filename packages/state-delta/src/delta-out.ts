import type { Endpoint, EndpointContext, OutboundMessage, TypeDefinition } from '@sf/core/plugin';
import { topicPrefix } from '@sf/core/plugin';
import {
  bindSocket,
  CLOSE_LINGER_MS,
  closedError,
  closeSocket,
  numberArgument,
  type SocketAddress,
  settleWithin,
  socketAddress,
} from '@sf/zmq-base';
import { Publisher } from 'zeromq';
import { applyDeltaInPlace, copyState, type StateValue } from './apply-delta.js';
import { SnapshotServer } from './snapshot-server.js';
import { encodePublication } from './wire.js';

/** Default `wait_after_creation_s`: time `open()` waits so subscribers can join before the first update. */
export const DEFAULT_WAIT_AFTER_CREATION_S = 0.15;

/**
 * The `delta_update_out` state type: `to_send('state', name, { state, is_snapshot })` checks the
 * value (a delta: keys to set, `null` deletes; a snapshot: the whole state), applies it, numbers it
 * (1, 2, 3, …) and publishes it; the `replyer` socket answers snapshot requests with the whole state
 * and its number.
 */
export const deltaUpdateOut: TypeDefinition = {
  side: 'out',
  kind: 'state',
  peers: ['delta_update_in'],
  addresses: ['publisher', 'replyer'],
  replies: false,
  sendModel: { required: { state: Object }, optional: { is_snapshot: Boolean } },
  creationArguments: { optional: { topic: String, wait_after_creation_s: Number, send_high_water_mark: Number } },
  description: 'Publishes numbered deltas (or snapshots) of a state and answers snapshot requests.',
  create: (context) => new DeltaOutEndpoint(context),
};

class DeltaOutEndpoint implements Endpoint {
  readonly #context: EndpointContext;
  readonly #publisherAddress: SocketAddress;
  readonly #waitMs: number;
  readonly #highWaterMark: number | undefined;
  readonly #snapshots: SnapshotServer;
  #prefix: Uint8Array = new Uint8Array(0);
  #publisher: Publisher | undefined;
  #state: StateValue = {};
  #num = 0;
  #sending: Promise<unknown> = Promise.resolve();
  #closing: Promise<void> | undefined;

  constructor(context: EndpointContext) {
    this.#context = context;
    this.#publisherAddress = socketAddress(context, 'publisher', 'bind');
    this.#waitMs = numberArgument(context, 'wait_after_creation_s', DEFAULT_WAIT_AFTER_CREATION_S, 0, false) * 1000;
    const hwm = context.creation.send_high_water_mark;
    this.#highWaterMark = hwm === undefined ? undefined : numberArgument(context, 'send_high_water_mark', 1000, 0, false);
    const source = () => ({ state: this.#state, num: this.#num });
    this.#snapshots = new SnapshotServer(context, socketAddress(context, 'replyer', 'bind'), source);
  }

  async open(): Promise<void> {
    if (this.#closing) throw closedError(this.#context, this.#publisherAddress, 'Cannot open a delta_update_out state after close');
    if (this.#publisher) return;
    const topic = this.#context.creation.topic;
    if (typeof topic === 'string') this.#prefix = topicPrefix(topic);
    const publisher = new Publisher();
    if (this.#highWaterMark !== undefined) publisher.sendHighWaterMark = this.#highWaterMark;
    await bindSocket(publisher, this.#publisherAddress, this.#context);
    try {
      await this.#snapshots.open();
    } catch (error) {
      await closeSocket(publisher, 0);
      throw error;
    }
    this.#publisher = publisher;
    if (this.#waitMs > 0) await sleep(this.#waitMs);
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    const publisher = this.#publisher;
    this.#publisher = undefined;
    await settleWithin(this.#sending, CLOSE_LINGER_MS);
    await Promise.all([publisher && closeSocket(publisher, CLOSE_LINGER_MS), this.#snapshots.close()]);
  }

  /**
   * Checks, applies, numbers and queues one update in a single synchronous step (so snapshot
   * answers and the numbering always agree), then resolves once it is handed to ZeroMQ. A value
   * that fails the state model rejects with its ValidationError, and nothing changes.
   */
  send(message: OutboundMessage): Promise<undefined> {
    const publisher = this.#publisher;
    if (!publisher) return Promise.reject(closedError(this.#context, this.#publisherAddress, 'The delta_update_out state is not open'));
    const state = message.args.state as StateValue;
    const isSnapshot = message.args.is_snapshot === true;
    const invalid = this.#context.check(state, !isSnapshot);
    if (invalid) return Promise.reject(invalid);
    const num = this.#num + 1;
    let frame: Uint8Array;
    try {
      frame = encodePublication({ state, isSnapshot, num, workflowId: message.workflowId }, this.#prefix);
    } catch (error) {
      return Promise.reject(error);
    }
    if (isSnapshot) this.#state = copyState(state);
    else applyDeltaInPlace(this.#state, state);
    this.#num = num;
    // One send at a time, in numbering order (ZeroMQ refuses overlapping sends once a socket would block).
    const sent = this.#sending.then(() => publisher.send(frame));
    this.#sending = sent.catch(noop);
    return sent.then(() => undefined);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function noop(): void {}
