import { RequestTimeoutError, TransportError } from '@sf/core';
import type { Endpoint, EndpointContext, OutboundMessage, RetryPolicy, TypeDefinition } from '@sf/core/plugin';
import { integerArgument, RETRY_ARGUMENTS, retryDelay, retryPolicy } from '@sf/core/plugin';
import type { NatsConnection } from '@nats-io/transport-node';
import { closedError, NATS_ADDRESS, NATS_CREATION_ARGUMENTS, NatsClient } from './connection.js';
import { natsModule } from './nats-module.js';
import { SUBJECT_ARGUMENTS, subjectOf } from './subject.js';

/** Default `timeout_ms`: how long one try of a request waits for its reply. */
export const DEFAULT_TIMEOUT_MS = 5000;

/**
 * The `nats_requester` type: sends each request to the connection's subject and resolves to the reply
 * frame; one replyer of the subject's queue group answers it. NATS multiplexes calls on one
 * connection: all are in flight at once, or at most `concurrency` (later ones wait in order). While no
 * replyer is subscribed (not started yet, or restarting) the request is sent again until `timeout_ms`
 * has passed, since it reached nobody. A reply that does not come in `timeout_ms` is a
 * RequestTimeoutError; a model that declares `idempotent: true` may have it sent again up to `retries`
 * times, after a growing wait.
 */
export const natsRequester: TypeDefinition = {
  side: 'out',
  kind: 'connection',
  peers: ['nats_replyer'],
  addresses: [],
  optionalAddresses: [NATS_ADDRESS],
  replies: true,
  creationArguments: {
    optional: {
      timeout_ms: Number,
      ...RETRY_ARGUMENTS,
      concurrency: Number,
      ...SUBJECT_ARGUMENTS,
      ...NATS_CREATION_ARGUMENTS,
    },
  },
  description: 'Sends requests over NATS to the replyers of a subject (a queue group) and waits for each reply.',
  create: (context) => new RequesterEndpoint(context),
};

class RequesterEndpoint implements Endpoint {
  readonly #context: EndpointContext;
  readonly #subject: string;
  readonly #timeoutMs: number;
  readonly #retry: RetryPolicy;
  readonly #slots: Slots;
  readonly #client: NatsClient;

  constructor(context: EndpointContext) {
    this.#context = context;
    this.#subject = subjectOf(context);
    this.#timeoutMs = integerArgument(context, 'timeout_ms', DEFAULT_TIMEOUT_MS, 1);
    this.#retry = retryPolicy(context);
    this.#client = new NatsClient(context, 'nats_requester');
    this.#slots = new Slots(integerArgument(context, 'concurrency', Number.MAX_SAFE_INTEGER, 1));
  }

  async open(): Promise<void> {
    await this.#client.open();
  }

  close(): Promise<void> {
    return this.#client.close();
  }

  async send(message: OutboundMessage): Promise<Uint8Array> {
    const connection = this.#client.connection(this.#subject);
    await this.#slots.take();
    try {
      return await this.#call(connection, message.frame());
    } finally {
      this.#slots.give();
    }
  }

  /** One call: its tries, and the waits between them. */
  async #call(connection: NatsConnection, frame: Uint8Array): Promise<Uint8Array> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.#try(connection, frame);
      } catch (error) {
        if (this.#client.closed)
          throw closedError(this.#context, `The nats_requester of ${this.#subject} was closed while a request was pending`);
        if (!(error instanceof RequestTimeoutError) || attempt > this.#retry.retries) throw error;
        const waitMs = retryDelay(this.#retry, attempt);
        this.#context.logger.warn(
          { subject: this.#subject, retry: attempt, retries: this.#retry.retries, wait_ms: waitMs },
          'nats_requester got no reply in time; sending the request again',
        );
        await sleep(waitMs);
      }
    }
  }

  /** One try: the request, sent again while nobody is subscribed, until `timeout_ms` is over. */
  async #try(connection: NatsConnection, frame: Uint8Array): Promise<Uint8Array> {
    const deadline = performance.now() + this.#timeoutMs;
    let wait = 20;
    for (;;) {
      const left = Math.ceil(deadline - performance.now());
      if (left <= 0) throw this.#timeout('no replyer is subscribed to it');
      try {
        return (await connection.request(this.#subject, frame, { timeout: left })).data;
      } catch (error) {
        // Loaded already: the connection was made with it.
        const { RequestError, TimeoutError } = await natsModule();
        if (error instanceof TimeoutError || (error instanceof RequestError && error.cause instanceof TimeoutError))
          throw this.#timeout('the replyer did not answer');
        if (!(error instanceof RequestError && error.isNoResponders())) {
          throw new TransportError('SF_CONNECTION_CLOSED', `Request on NATS subject ${this.#subject} failed: ${(error as Error).message}`, {
            service: this.#context.service,
            model: this.#context.modelPath,
            hint: 'The NATS connection failed or was closed; check the servers',
            cause: error,
          });
        }
      }
      await sleep(Math.min(wait, Math.max(1, deadline - performance.now())));
      wait = Math.min(wait * 2, 500);
    }
  }

  #timeout(why: string): RequestTimeoutError {
    return new RequestTimeoutError(`No reply on NATS subject ${this.#subject} within ${this.#timeoutMs} ms (${why})`, this.#timeoutMs, {
      service: this.#context.service,
      model: this.#context.modelPath,
      hint: 'Check that a service with a nats_replyer of that subject runs on the same NATS servers, or raise timeout_ms',
    });
  }
}

/** At most `size` calls at once; the others wait in the order they came. */
class Slots {
  #free: number;
  readonly #waiting: Array<() => void> = [];

  constructor(size: number) {
    this.#free = size;
  }

  take(): Promise<void> | undefined {
    if (this.#free > 0) {
      this.#free -= 1;
      return undefined;
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  give(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free += 1;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
