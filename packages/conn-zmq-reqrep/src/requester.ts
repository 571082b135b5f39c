import { RequestTimeoutError } from '@sf/core';
import type { Endpoint, EndpointContext, OutboundMessage, TypeDefinition } from '@sf/core/plugin';
import { Request } from 'zeromq';
import {
  closeSocket,
  closedError,
  connectSocket,
  createSocket,
  numberArgument,
  SOCKET_CREATION_ARGUMENTS,
  type SocketAddress,
  socketAddress,
  socketSettings,
} from '@sf/zmq-base';
import { type RetryPolicy, retryDelay, retryPolicy } from './retry-policy.js';

/** Default `timeout_ms` of a requester: how long one request waits for its reply. */
export const DEFAULT_TIMEOUT_MS = 5000;

/**
 * The `requester` type: connects and sends one request at a time (REQ semantics), resolving to
 * the reply frame. A timeout resets the socket (the request is dropped, so the next one works once
 * the replyer is back) and rejects with RequestTimeoutError; a model that declares
 * `idempotent: true` may instead have it sent again up to `retries` times, after a growing wait.
 */
export const requester: TypeDefinition = {
  side: 'out',
  kind: 'connection',
  peers: ['replyer'],
  addresses: ['requester'],
  replies: true,
  creationArguments: { optional: { timeout_ms: Number, retries: Number, retry_backoff_ms: Number, idempotent: Boolean, ...SOCKET_CREATION_ARGUMENTS } },
  description: 'Sends requests to a replyer (any ZeroMQ REP peer) one at a time and waits for each reply.',
  create: (context) => new RequesterEndpoint(context),
};

class RequesterEndpoint implements Endpoint {
  readonly #context: EndpointContext;
  readonly #address: SocketAddress;
  readonly #timeoutMs: number;
  readonly #retry: RetryPolicy;
  readonly #wakeOnClose = new Set<() => void>();
  #socket: Request | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(context: EndpointContext) {
    this.#context = context;
    this.#address = socketAddress(context, 'requester', 'connect');
    this.#timeoutMs = numberArgument(context, 'timeout_ms', DEFAULT_TIMEOUT_MS, 0, true);
    socketSettings(context, 'connect');
    this.#retry = retryPolicy(context);
  }

  async open(): Promise<void> {
    if (this.#closed) throw closedError(this.#context, this.#address, 'Cannot open a requester after close');
    this.#socket ??= this.#connect();
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    this.#closed = true;
    for (const wake of this.#wakeOnClose) wake();
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket) await closeSocket(socket, 0);
  }

  send(message: OutboundMessage): Promise<Uint8Array> {
    const run = (): Promise<Uint8Array> => this.#requestWithRetries(message.frame);
    const result = this.#queue.then(run, run);
    this.#queue = result.catch(noop);
    return result;
  }

  /** Sends `frame`; after a timeout, sends it again while the retry policy allows (never for a non-idempotent model). */
  async #requestWithRetries(frame: Uint8Array): Promise<Uint8Array> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.#request(frame, attempt);
      } catch (error) {
        if (!(error instanceof RequestTimeoutError) || attempt > this.#retry.retries) throw error;
        const waitMs = retryDelay(this.#retry, attempt);
        this.#context.logger.warn(
          { address: this.#address.path, timeout_ms: this.#timeoutMs, retry: attempt, retries: this.#retry.retries, wait_ms: waitMs },
          'requester got no reply in time; sending the request again',
        );
        await this.#rest(waitMs);
        if (this.#closed) throw closedError(this.#context, this.#address, 'The requester was closed while waiting to retry a request', error);
      }
    }
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

  /** One try: `attempt` is 1 for the first send, 2 for the first retry… */
  async #request(frame: Uint8Array, attempt: number): Promise<Uint8Array> {
    const socket = this.#socket;
    if (this.#closed || !socket) throw closedError(this.#context, this.#address, 'The requester is not open');
    const exchange = exchangeOn(socket, frame);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(this.#timeoutError(attempt)), this.#timeoutMs);
    });
    try {
      return await Promise.race([exchange, timeout]);
    } catch (error) {
      exchange.catch(noop);
      if (this.#closed) {
        throw closedError(this.#context, this.#address, 'The requester was closed while a request was pending', error);
      }
      this.#discard();
      this.#socket = this.#connect();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  #connect(): Request {
    const socket = createSocket(Request, this.#context, 'connect', 'requester');
    connectSocket(socket, this.#address, this.#context);
    return socket;
  }

  #discard(): void {
    const socket = this.#socket;
    this.#socket = undefined;
    if (!socket) return;
    socket.linger = 0;
    socket.close();
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

async function exchangeOn(socket: Request, frame: Uint8Array): Promise<Uint8Array> {
  await socket.send(frame);
  const [reply] = await socket.receive();
  return reply ?? new Uint8Array(0);
}

function noop(): void {}
