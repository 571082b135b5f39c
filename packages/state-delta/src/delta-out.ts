import type { Endpoint, EndpointContext, OutboundMessage, TypeDefinition } from '@sf/core/plugin';
import { answerRequest, integerArgument } from '@sf/core/plugin';
import { closedError, ReplyServer, SEND_HIGH_WATER_MARK_ARGUMENT, SOCKET_CREATION_ARGUMENTS, TopicPublisher } from '@sf/zmq-base';
import { applyDeltaInPlace, copyState, type StateValue } from './apply-delta.js';
import { DeltaStore } from './delta-store.js';
import { persistPath } from '@sf/state-store';
import { SnapshotReplies } from './snapshot-replies.js';
import { encodePublication } from './wire.js';

/** Default `wait_after_creation_s`: time `open()` waits so subscribers can join before the first update. */
export { DEFAULT_WAIT_AFTER_CREATION_S } from '@sf/zmq-base';

/**
 * Default `snapshot_high_water_mark`: snapshot replies queued for one peer that does not read them;
 * the replyer drops further ones to it. A reader asks one at a time, so this is plenty unless many
 * readers reach the replyer through one proxy.
 */
export const DEFAULT_SNAPSHOT_HIGH_WATER_MARK = 8;

/**
 * The `delta_update_out` state type: `to_send('state', name, { state, is_snapshot })` checks the
 * value (a delta: keys to set, `null` deletes; a snapshot: the whole state), applies it, numbers it
 * (1, 2, 3, …) and publishes it; the `replyer` socket answers snapshot requests with the whole state
 * and its number. With `persist_file` each update is committed to that SQLite file before it is
 * published, and a restart resumes from the state and number there.
 */
export const deltaUpdateOut: TypeDefinition = {
  side: 'out',
  kind: 'state',
  peers: ['delta_update_in'],
  addresses: ['publisher', 'replyer'],
  replies: false,
  sendModel: { required: { state: Object }, optional: { is_snapshot: Boolean } },
  creationArguments: {
    optional: {
      topic: String,
      wait_after_creation_s: Number,
      ...SEND_HIGH_WATER_MARK_ARGUMENT,
      snapshot_high_water_mark: Number,
      persist_file: String,
      persist_fsync: Boolean,
      ...SOCKET_CREATION_ARGUMENTS,
    },
  },
  description: 'Publishes numbered deltas (or snapshots) of a state and answers snapshot requests.',
  create: (context) => new DeltaOutEndpoint(context),
};

class DeltaOutEndpoint implements Endpoint {
  readonly #context: EndpointContext;
  readonly #publisher: TopicPublisher;
  readonly #snapshots: ReplyServer;
  readonly #persistFile: string | undefined;
  readonly #replies = new SnapshotReplies();
  #store: DeltaStore | undefined;
  #state: StateValue = {};
  #num = 0;
  #closing: Promise<void> | undefined;

  constructor(context: EndpointContext) {
    this.#context = context;
    // A reader that misses an update at the mark sees the gap in the numbering and resyncs, so the
    // publisher keeps ZeroMQ's per-subscriber drop (countDrops would refuse it to every reader).
    this.#publisher = new TopicPublisher(context, { label: 'delta_update_out state' });
    this.#snapshots = new ReplyServer(context, {
      label: 'snapshot replyer',
      answer: (body) => this.#snapshot(body),
      // Replies are whole states: a peer that asks and never reads must not make this side hold
      // ZeroMQ's default 1000 of them (send_high_water_mark is the publisher's).
      sendHighWaterMark: integerArgument(context, 'snapshot_high_water_mark', DEFAULT_SNAPSHOT_HIGH_WATER_MARK, 1),
    });
    this.#persistFile = persistPath(context);
    context.stats?.report('current_num', () => this.#num);
  }

  async open(): Promise<void> {
    if (this.#closing) throw closedError(this.#context, this.#publisher.address, 'Cannot open a delta_update_out state after close');
    if (this.#persistFile !== undefined && this.#store === undefined) await this.#resume(this.#persistFile);
    // The replyer first: the publisher's open() ends with the wait for subscribers. If the
    // publisher then fails to bind, the replyer stays bound until close() (a new open() retries).
    await this.#snapshots.open();
    await this.#publisher.open();
  }

  close(): Promise<void> {
    // The store last: every update the publisher still sends was committed before it was queued.
    this.#closing ??= Promise.all([this.#publisher.close(), this.#snapshots.close()]).then(() => this.#store?.close());
    return this.#closing;
  }

  /** Takes the state and number from the persist_file, so numbering continues where it stopped. */
  async #resume(path: string): Promise<void> {
    const store = await DeltaStore.open(this.#context, path, this.#context.creation.persist_fsync === true);
    if (this.#closing) {
      store.close();
      return;
    }
    this.#store = store;
    this.#state = store.state;
    this.#num = store.num;
    const msg = store.num > 0 ? 'delta_update_out: resumed from persist_file' : 'delta_update_out: persist_file ready';
    this.#context.logger.info({ persist_file: path, current_num: store.num }, msg);
  }

  /**
   * Publishes one update; resolves once it is handed to ZeroMQ. Checking, applying, numbering and
   * queueing it are one synchronous step, so snapshot answers and the numbering always agree. With
   * a persist_file the update is committed first, so what is published is always on disk. A closed
   * publisher (`SF_CONNECTION_CLOSED`), a value that fails the state model (its ValidationError) or
   * a failed commit (SF_STATE_STORE_FAILED) rejects, and nothing changes.
   */
  async send(message: OutboundMessage): Promise<undefined> {
    this.#publisher.checkOpen();
    const state = message.args.state as StateValue;
    const isSnapshot = message.args.is_snapshot === true;
    const invalid = this.#context.check(state, !isSnapshot);
    if (invalid) throw invalid;
    const num = this.#num + 1;
    const frame = encodePublication(
      { state, isSnapshot, num, workflowId: message.workflowId, trace: message.trace },
      this.#publisher.prefix,
    );
    this.#store?.save(state, isSnapshot, num);
    if (isSnapshot) this.#state = copyState(state);
    else applyDeltaInPlace(this.#state, state);
    this.#num = num;
    await this.#publisher.send(frame);
    return undefined;
  }

  /** The answer to a snapshot request: the whole state and its number as they are now (encoded once per number), or an error reply. */
  #snapshot(body: Uint8Array): Uint8Array {
    return answerRequest(
      this.#context,
      body,
      (request) => this.#replies.reply(this.#state, this.#num, request.workflow_id),
      'snapshot replyer',
      { address: this.#snapshots.address.path },
    );
  }
}
