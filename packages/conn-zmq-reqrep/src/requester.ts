import { RequestTimeoutError } from '@sf/core';
import type { Endpoint, EndpointContext, OutboundMessage, RetryPolicy, TypeDefinition } from '@sf/core/plugin';
import { numberArgument, RETRY_ARGUMENTS, retryDelay, retryPolicy } from '@sf/core/plugin';
import { Request } from 'zeromq';
import {
  closeSocket,
  closedError,
  connectSocket,
  createSocket,
  SOCKET_CREATION_ARGUMENTS,
  type SocketAddress,
  socketAddress,
  socketSettings,
} from '@sf/zmq-base';
import { concurrencyArgument } from './concurrency.js';
import { DeadlineWatch } from './deadline-watch.js';

/** Default `timeout_ms` of a requester: how long one request waits for its reply. */
export const DEFAULT_TIMEOUT_MS = 5000;

/**
 * The `requester` type: connects and sends requests with REQ semantics, resolving to the reply
 * frame. By default one request is in flight at a time and later calls wait their turn in order;
 * `concurrency: N` lets up to N be in flight, each on its own REQ socket (opened as needed, kept
 * for the next calls), so any REP or ROUTER replier answers them, in any order. A timeout resets
 * the socket of that call (its request is dropped, so the next one works once the replyer is back)
 * and rejects with RequestTimeoutError; a model that declares `idempotent: true` may instead have
 * it sent again up to `retries` times, after a growing wait.
 */
export const requester: TypeDefinition = {
  side: 'out',
  kind: 'connection',
  peers: ['replyer'],
  addresses: ['requester'],
  replies: true,
  creationArguments: {
    optional: {
      timeout_ms: Number,
      ...RETRY_ARGUMENTS,
      concurrency: Number,
      ...SOCKET_CREATION_ARGUMENTS,
    },
  },
  description: 'Sends requests to a replyer (any ZeroMQ REP peer) and waits for each reply; one at a time unless concurrency allows more.',
  create: (context) => new RequesterEndpoint(context),
};

/** One REQ socket of the requester; replaced after a timeout or a socket error. */
interface Slot {
  socket: Request;
}

/** One try of one request, watched for its deadline. */
interface Attempt {
  readonly slot: Slot;
  readonly socket: Request;
  deadline: number;
  done: boolean;
  expired: boolean;
}

const NO_REPLY = new Uint8Array(0);

class RequesterEndpoint implements Endpoint {
  readonly #context: EndpointContext;
  readonly #address: SocketAddress;
  readonly #timeoutMs: number;
  readonly #retry: RetryPolicy;
  readonly #concurrency: number;
  readonly #deadlines: DeadlineWatch<Attempt>;
  readonly #wakeOnClose = new Set<() => void>();
  readonly #slots = new Set<Slot>();
  readonly #idle: Slot[] = [];
  readonly #waiting: Array<(slot: Slot | undefined) => void> = [];
  #opened = false;
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(context: EndpointContext) {
    this.#context = context;
    this.#address = socketAddress(context, 'requester', 'connect');
    this.#timeoutMs = numberArgument(context, 'timeout_ms', DEFAULT_TIMEOUT_MS, 0, true);
    this.#concurrency = concurrencyArgument(context);
    socketSettings(context, 'connect');
    this.#retry = retryPolicy(context);
    this.#deadlines = new DeadlineWatch(this.#timeoutMs, (attempt) => this.#expire(attempt));
  }

  async open(): Promise<void> {
    if (this.#closed) throw closedError(this.#context, this.#address, 'Cannot open a requester after close');
    if (this.#opened) return;
    this.#idle.push(this.#newSlot());
    this.#opened = true;
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    this.#closed = true;
    for (const wake of this.#wakeOnClose) wake();
    for (const wake of this.#waiting.splice(0)) wake(undefined);
    this.#deadlines.clear();
    const sockets = [...this.#slots].map((slot) => slot.socket);
    this.#slots.clear();
    this.#idle.length = 0;
    await Promise.all(sockets.map((socket) => closeSocket(socket, 0)));
  }

  async send(message: OutboundMessage): Promise<Uint8Array> {
    const frame = message.frame();
    const slot = this.#idle.pop() ?? (await this.#takeSlot());
    try {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await this.#request(slot, frame, attempt);
        } catch (error) {
          await this.#beforeRetry(error, attempt);
        }
      }
    } finally {
      this.#release(slot);
    }
  }

  /** A socket for the next call: a new one while under `concurrency`, else the next one freed (calls wait in order). */
  #takeSlot(): Slot | Promise<Slot> {
    if (this.#closed || !this.#opened) throw closedError(this.#context, this.#address, 'The requester is not open');
    if (this.#slots.size < this.#concurrency) return this.#newSlot();
    return new Promise((resolve, reject) => {
      this.#waiting.push((slot) =>
        slot
          ? resolve(slot)
          : reject(closedError(this.#context, this.#address, 'The requester was closed while a request waited to be sent')),
      );
    });
  }

  /** Hands a freed socket to the oldest waiting call, or keeps it for the next one. */
  #release(slot: Slot): void {
    if (this.#closed) return;
    const next = this.#waiting.shift();
    if (next) next(slot);
    else this.#idle.push(slot);
  }

  #newSlot(): Slot {
    const slot = { socket: this.#connect() };
    this.#slots.add(slot);
    return slot;
  }

  /**
   * After try `attempt` failed with `error`: rethrows it unless it is a timeout the retry policy
   * sends again (never for a non-idempotent model), else waits the backoff.
   */
  async #beforeRetry(error: unknown, attempt: number): Promise<void> {
    if (!(error instanceof RequestTimeoutError) || attempt > this.#retry.retries) throw error;
    const waitMs = retryDelay(this.#retry, attempt);
    this.#context.stats?.count('retries');
    this.#context.logger.warn(
      { address: this.#address.path, timeout_ms: this.#timeoutMs, retry: attempt, retries: this.#retry.retries, wait_ms: waitMs },
      'requester got no reply in time; sending the request again',
    );
    await this.#rest(waitMs);
    if (this.#closed) throw closedError(this.#context, this.#address, 'The requester was closed while waiting to retry a request', error);
  }

  /** Waits `ms`, or less if the requester closes meanwhile. */
  #rest(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#wakeOnClose.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#wakeOnClose.add(wake);
    });
  }

  /** One try on `slot`'s socket: `attempt` is 1 for the first send, 2 for the first retry… */
  async #request(slot: Slot, frame: Uint8Array, attempt: number): Promise<Uint8Array> {
    if (this.#closed) throw closedError(this.#context, this.#address, 'The requester is not open');
    const socket = slot.socket;
    const watched: Attempt = { slot, socket, deadline: 0, done: false, expired: false };
    this.#deadlines.add(watched);
    try {
      await socket.send(frame);
      const [reply] = await socket.receive();
      // The reply came as the deadline passed: keep it, and replace the socket the watch closed.
      if (watched.expired) this.#renew(slot, socket);
      return reply ?? NO_REPLY;
    } catch (error) {
      if (this.#closed) throw closedError(this.#context, this.#address, 'The requester was closed while a request was pending', error);
      this.#renew(slot, socket);
      if (watched.expired) throw this.#timeoutError(attempt);
      throw error;
    } finally {
      this.#deadlines.done(watched);
    }
  }

  /** The deadline of a try passed: closing its socket drops the request and ends the pending send or receive. */
  #expire(attempt: Attempt): void {
    attempt.expired = true;
    discard(attempt.socket);
  }

  /** Gives `slot` a new socket in place of `old` (closed at once, with whatever request it still held). */
  #renew(slot: Slot, old: Request): void {
    discard(old);
    if (slot.socket === old && !this.#closed) slot.socket = this.#connect();
  }

  #connect(): Request {
    const socket = createSocket(Request, this.#context, 'connect', 'requester');
    connectSocket(socket, this.#address, this.#context);
    return socket;
  }

  #timeoutError(attempts: number): RequestTimeoutError {
    const tries = attempts > 1 ? `, after ${attempts} tries` : '';
    return new RequestTimeoutError(
      `No reply from ${this.#address.endpoint} (${this.#address.path}) within ${this.#timeoutMs} ms${tries}`,
      this.#timeoutMs,
      {
        service: this.#context.service,
        model: this.#context.modelPath,
        hint: 'Check that the replying service is running at that address, or raise timeout_ms',
      },
    );
  }
}

function discard(socket: Request): void {
  if (socket.closed) return;
  socket.linger = 0;
  socket.close();
}
