import type { Endpoint, EndpointContext, TypeDefinition } from '@sf/core/plugin';
import { integerArgument } from '@sf/core/plugin';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { checkSubject } from './arguments.js';
import { closedError, closeNats, connectNats, NATS_ADDRESS, NATS_CREATION_ARGUMENTS } from './connection.js';
import { SUBJECT_ARGUMENTS, subjectOf } from './subject.js';
import { WorkQueue } from './work-queue.js';

/** Largest `concurrency` of a nats_replyer or nats_subscriber: messages handled at once. */
export const MAX_CONCURRENCY = 256;

/** Default `max_queued`: messages a nats_replyer or nats_subscriber holds waiting for a handler. */
export const DEFAULT_MAX_QUEUED = 10_000;

/** Default `max_queued_bytes`: bytes of messages waiting for a handler (64 MiB). */
export const DEFAULT_MAX_QUEUED_BYTES = 64 * 1024 * 1024;

/**
 * Creation arguments of the in types that bound their queue: messages arrive as fast as NATS sends
 * them, handlers may be slower. A message past either bound is dropped and counted (`queue_full`).
 */
export const QUEUE_ARGUMENTS = { max_queued: Number, max_queued_bytes: Number } as const;

/**
 * The `nats_replyer` type: subscribes to the connection's subject in a queue group (`queue_group`,
 * by default the subject), so each request goes to one of the replicas that run the same model,
 * and answers it with the runner's reply. Up to `concurrency` requests are handled at once (default 1,
 * in arrival order). At shutdown it unsubscribes, answers what it had taken, then closes.
 */
export const natsReplyer: TypeDefinition = {
  side: 'in',
  kind: 'connection',
  peers: ['nats_requester'],
  addresses: [],
  optionalAddresses: [NATS_ADDRESS],
  handler: 'on_new_request',
  replies: true,
  creationArguments: {
    required: { on_new_request: Function },
    optional: { concurrency: Number, queue_group: String, ...QUEUE_ARGUMENTS, ...SUBJECT_ARGUMENTS, ...NATS_CREATION_ARGUMENTS },
  },
  description: 'Answers requests from nats_requesters on a subject; replicas share a queue group and split the load.',
  create: (context) => new InboundEndpoint(context, 'nats_replyer', (frame, msg) => answer(context, frame, msg)),
};

async function answer(context: EndpointContext, frame: Uint8Array, msg: Msg): Promise<void> {
  const reply = await context.receive(frame);
  if (reply === undefined) {
    context.logger.warn({ subject: msg.subject }, 'nats_replyer got no reply from the runner; the requester will not be answered');
    return;
  }
  if (!msg.respond(reply))
    context.logger.warn({ subject: msg.subject }, 'nats_replyer: a request came without a reply subject; not answered');
}

/**
 * The live side of a `nats_replyer` or `nats_subscriber`: one subscription per subject (one
 * connection), whose messages go through one {@link WorkQueue} to `handle`.
 */
export class InboundEndpoint implements Endpoint {
  readonly #context: EndpointContext;
  readonly #label: string;
  readonly #subjects: string[];
  readonly #queueGroup: string | undefined;
  readonly #work: WorkQueue<Msg>;
  readonly #limit: { readonly items: number; readonly bytes: number; readonly size: (msg: Msg) => number };
  #connection: NatsConnection | undefined;
  #subscriptions: Subscription[] = [];
  #closing: Promise<void> | undefined;

  constructor(
    context: EndpointContext,
    label: string,
    handle: (frame: Uint8Array, msg: Msg) => Promise<void>,
    subjects = [subjectOf(context)],
    grouped = true,
  ) {
    this.#context = context;
    this.#label = label;
    this.#subjects = subjects;
    const group = context.creation.queue_group as string | undefined;
    this.#queueGroup = grouped ? checkSubject(context, group ?? subjects[0]!, 'queue_group') : undefined;
    const limit = {
      items: integerArgument(context, 'max_queued', DEFAULT_MAX_QUEUED, 1),
      bytes: integerArgument(context, 'max_queued_bytes', DEFAULT_MAX_QUEUED_BYTES, 1),
      size: (msg: Msg) => msg.data.length,
    };
    this.#limit = limit;
    const handleOne = async (msg: Msg) => {
      try {
        await handle(msg.data, msg);
      } catch (error) {
        context.logger.error({ err: error, subject: msg.subject }, `${label}: handling a message failed`);
      }
    };
    this.#work = new WorkQueue(integerArgument(context, 'concurrency', 1, 1, MAX_CONCURRENCY), handleOne, limit);
  }

  /** Hands `msg` to the queue; one it refuses (full) is counted and logged (throttled) as `queue_full`. */
  #take(msg: Msg): void {
    if (this.#work.push(msg)) return;
    this.#context.reject(
      'queue_full',
      `${this.#label} dropped a message: ${this.#work.waiting} messages (${this.#work.waitingBytes} bytes) wait for the handler ` +
        `(max_queued ${this.#limit.items}, max_queued_bytes ${this.#limit.bytes})`,
      { subject: msg.subject, bytes: msg.data.length },
    );
  }

  async open(): Promise<void> {
    if (this.#closing) throw closedError(this.#context, `Cannot open a ${this.#label} after close`);
    if (this.#subscriptions.length > 0) return;
    this.#connection ??= await connectNats(this.#context);
    const connection = this.#connection;
    // One queue for every subject: messages are handled in the order they arrived, whichever subject.
    this.#subscriptions = this.#subjects.map((subject) =>
      connection.subscribe(subject, {
        queue: this.#queueGroup,
        callback: (error, msg) => {
          if (error) this.#context.logger.warn({ err: error, subject }, `${this.#label}: subscription error`);
          else this.#take(msg);
        },
      }),
    );
    // The server has the subscriptions once the flush returns: messages sent from now on reach them.
    await connection.flush();
    this.#context.logger.debug({ subjects: this.#subjects, queue_group: this.#queueGroup }, `${this.#label} subscribed`);
  }

  async pause(): Promise<void> {
    for (const subscription of this.#subscriptions) subscription.unsubscribe();
    await this.#work.drain();
  }

  close(): Promise<void> {
    this.#closing ??= this.pause().then(() => closeNats(this.#connection));
    return this.#closing;
  }
}
