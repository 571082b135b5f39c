import type { Endpoint, EndpointContext, TypeDefinition } from '@sf/core/plugin';
import { numberArgument, readState } from '@sf/core/plugin';
import { closedError, hasAddress, SOCKET_CREATION_ARGUMENTS, socketAddress, TopicSubscriber } from '@sf/zmq-base';
import { SnapshotFetcher } from './snapshot-fetcher.js';
import { UpdateQueue } from './update-queue.js';

/** Default `snapshot_timeout_ms`: how long one snapshot request waits for the out side's reply. */
export const DEFAULT_SNAPSHOT_TIMEOUT_MS = 1000;

/**
 * The `full_update_in` type: subscribes to a `full_update_out` and makes every publication the
 * state's whole new value (checked against the model; a bad one is logged and dropped). With a
 * `requester` address it asks the out side for a snapshot at open() and after every reconnect, so
 * a late joiner knows the current value without waiting for the next publication.
 */
export const fullUpdateIn: TypeDefinition = {
  side: 'in',
  kind: 'state',
  peers: ['full_update_out'],
  addresses: ['subscriber'],
  optionalAddresses: ['requester'],
  handler: 'on_update',
  replies: false,
  creationArguments: { optional: { on_update: Function, topic: String, snapshot_timeout_ms: Number, ...SOCKET_CREATION_ARGUMENTS } },
  description: 'Keeps the latest whole value of a full_update_out state; optionally fetches a snapshot on join and on reconnect.',
  create: (context) => new FullUpdateInEndpoint(context),
};

class FullUpdateInEndpoint implements Endpoint {
  readonly #context: EndpointContext;
  readonly #subscriber: TopicSubscriber;
  readonly #updates: UpdateQueue;
  readonly #snapshots: SnapshotFetcher | undefined;
  #opened = false;
  #closing: Promise<void> | undefined;

  constructor(context: EndpointContext) {
    this.#context = context;
    this.#subscriber = new TopicSubscriber(context, {
      label: 'full_update_in',
      deliver: (payload) => this.#publication(payload),
      // Publications sent while disconnected are lost: after a reconnect, ask for a fresh snapshot
      // (open() asks for the first).
      onConnectionChange: (connected, handshakes) => {
        if (!connected)
          this.#context.stats?.lost(); // metrics: not ready until the next value
        else if (handshakes > 1) void this.#snapshots?.refresh();
      },
    });
    this.#updates = new UpdateQueue(context);
    if (hasAddress(context, 'requester')) {
      const requester = socketAddress(context, 'requester', 'connect');
      const timeoutMs = numberArgument(context, 'snapshot_timeout_ms', DEFAULT_SNAPSHOT_TIMEOUT_MS, 0, true);
      this.#snapshots = new SnapshotFetcher(context, requester, this.#updates, timeoutMs);
    }
  }

  /**
   * Connects the subscriber, then (with a requester) waits for one snapshot attempt; if it fails,
   * further attempts run in the background until one works or a publication arrives.
   */
  async open(): Promise<void> {
    if (this.#closing) throw closedError(this.#context, this.#subscriber.address, 'Cannot open a full_update_in state after close');
    if (this.#opened) return;
    await this.#subscriber.open();
    this.#opened = true;
    await this.#snapshots?.refresh();
  }

  async pause(): Promise<void> {
    this.#updates.stop();
    this.#snapshots?.stop();
    await this.#subscriber.pause();
  }

  // Nothing to flush (an in state never replies), so close does not wait for a running on_update.
  close(): Promise<void> {
    this.#updates.stop();
    this.#snapshots?.stop();
    this.#closing ??= this.#subscriber.close();
    return this.#closing;
  }

  /** One publication off the wire (topic removed): decoded, checked, then queued as the new value. */
  async #publication(payload: Uint8Array): Promise<void> {
    const envelope = readState(this.#context, payload, 'full_update_in', { address: this.#subscriber.address.path });
    if (envelope !== undefined) await this.#updates.publication(envelope.args, envelope.workflow_id, envelope.trace);
  }
}
