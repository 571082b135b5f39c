import type { Endpoint, EndpointContext, OutboundMessage, TypeDefinition } from '@sf/core/plugin';
import { answerRequest, encodeReply, framePayload } from '@sf/core/plugin';
import { closedError, hasAddress, ReplyServer, SOCKET_CREATION_ARGUMENTS, TopicPublisher } from '@sf/zmq-base';
import { FullStore } from './full-store.js';
import { replyOf } from './snapshot-reply.js';
import { persistPath } from '@sf/state-store';

/** Default `wait_after_creation_s`: time `open()` waits so subscribers can join before the first publication. */
export { DEFAULT_WAIT_AFTER_CREATION_S } from '@sf/zmq-base';

/**
 * The `full_update_out` type: every `to_send('state', name, value)` publishes the whole value as
 * `{"args": value, "workflow_id": …}` on the `publisher` socket (after `msgpack(topic)` when a
 * `topic` is set). With a `replyer` address it also answers every snapshot request (`{"args": {}}`)
 * with `{"return_args": <latest value or {}>, "workflow_id": <that value's workflow id>}`. With
 * `persist_file` each value is committed to that SQLite file before it is published, and after a
 * restart the replyer answers with it (it is not published again).
 */
export const fullUpdateOut: TypeDefinition = {
  side: 'out',
  kind: 'state',
  peers: ['full_update_in'],
  addresses: ['publisher'],
  optionalAddresses: ['replyer'],
  replies: false,
  creationArguments: {
    optional: { topic: String, wait_after_creation_s: Number, persist_file: String, persist_fsync: Boolean, ...SOCKET_CREATION_ARGUMENTS },
  },
  description: 'Publishes the whole state value on every update; optionally answers snapshot requests with the latest value.',
  create: (context) => new FullUpdateOutEndpoint(context),
};

class FullUpdateOutEndpoint implements Endpoint {
  readonly #context: EndpointContext;
  readonly #publisher: TopicPublisher;
  readonly #snapshots: ReplyServer | undefined;
  /** The request frame of the latest publication, and the snapshot reply made from it (once asked for). */
  #latest: { frame: Uint8Array; reply?: Uint8Array } | undefined;
  readonly #persistFile: string | undefined;
  #store: FullStore | undefined;
  #closing: Promise<void> | undefined;

  constructor(context: EndpointContext) {
    this.#context = context;
    this.#publisher = new TopicPublisher(context, { label: 'full_update_out state' });
    if (hasAddress(context, 'replyer'))
      this.#snapshots = new ReplyServer(context, { label: 'snapshot replyer', answer: (body) => this.#snapshot(body) });
    this.#persistFile = persistPath(context);
  }

  async open(): Promise<void> {
    if (this.#closing) throw closedError(this.#context, this.#publisher.address, 'Cannot open a full_update_out state after close');
    if (this.#persistFile !== undefined && this.#store === undefined) await this.#resume(this.#persistFile);
    // The replyer first: the publisher's open() ends with the wait for subscribers.
    await this.#snapshots?.open();
    await this.#publisher.open();
  }

  close(): Promise<void> {
    // The store last: every value the publisher still sends was committed before it was queued.
    this.#closing ??= Promise.all([this.#publisher.close(), this.#snapshots?.close()]).then(() => this.#store?.close());
    return this.#closing;
  }

  /** Takes the latest value from the persist_file, for snapshot answers until the next publication. */
  async #resume(path: string): Promise<void> {
    const store = await FullStore.open(this.#context, path, this.#context.creation.persist_fsync === true);
    if (this.#closing) {
      store.close();
      return;
    }
    this.#store = store;
    if (store.latest !== undefined) this.#latest = { frame: store.latest };
    const msg =
      store.latest === undefined ? 'full_update_out: persist_file ready' : 'full_update_out: resumed the latest value from persist_file';
    this.#context.logger.info({ persist_file: path }, msg);
  }

  /**
   * Publishes the whole value (already checked against the model by core) and keeps it for
   * snapshots; with a persist_file it is committed first (a failed commit rejects, nothing is sent).
   */
  async send(message: OutboundMessage): Promise<undefined> {
    this.#publisher.checkOpen();
    const frame = message.frame();
    this.#store?.save(frame);
    if (this.#snapshots) this.#latest = { frame };
    await this.#publisher.send(framePayload(this.#publisher.prefix, frame));
    return undefined;
  }

  /** The answer to a snapshot request: the latest value (`{}` before the first), or an error reply to a frame that is not a request. */
  #snapshot(body: Uint8Array): Uint8Array {
    return answerRequest(this.#context, body, () => this.#latestReply(), 'snapshot replyer', { address: this.#snapshots?.address.path });
  }

  /** The latest value as a snapshot reply, made once per value. */
  #latestReply(): Uint8Array {
    const latest = this.#latest;
    if (latest === undefined) return encodeReply({ return_args: {}, workflow_id: null });
    latest.reply ??= replyOf(latest.frame);
    return latest.reply;
  }
}
