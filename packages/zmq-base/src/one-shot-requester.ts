import { RequestTimeoutError } from '@sf/core';
import type { EndpointContext } from '@sf/core/plugin';
import { Request } from 'zeromq';
import type { SocketAddress } from './address.js';
import { connectSocket } from './bind-connect.js';
import { closedError } from './close.js';
import { createSocket } from './create-socket.js';

/** What a {@link OneShotRequester} asks for, and how it words its errors. */
export interface OneShotRequesterOptions {
  /** Names what is asked for in errors, e.g. `snapshot`. */
  readonly what: string;
  /** How long one request waits for its reply, ms. */
  readonly timeoutMs: number;
  /** The fix a timeout error suggests, e.g. which service must run at the address. */
  readonly timeoutHint: string;
  /** The socket's name in the addresses file (for its CURVE settings and log lines); `requester` by default. */
  readonly socket?: string;
}

/**
 * Sends occasional requests (a state's snapshot requests) to a replyer at `address`, each on a
 * fresh REQ socket closed afterwards (requests made at once each have their own): a request that
 * timed out never leaves the REQ state machine stuck, and its late reply can never be taken for
 * the next one's.
 */
export class OneShotRequester {
  readonly #context: EndpointContext;
  readonly #address: SocketAddress;
  readonly #options: OneShotRequesterOptions;
  readonly #pending = new Set<Request>();
  #closed = false;

  constructor(context: EndpointContext, address: SocketAddress, options: OneShotRequesterOptions) {
    this.#context = context;
    this.#address = address;
    this.#options = options;
  }

  /**
   * Sends `body` and resolves to the reply frame. Rejects with RequestTimeoutError after
   * `timeoutMs`, and with `SF_CONNECTION_CLOSED` once closed (also for a request pending then).
   */
  async request(body: Uint8Array): Promise<Uint8Array> {
    if (this.#closed) throw closedError(this.#context, this.#address, `The ${this.#options.what} requester is closed`);
    const socket = createSocket(Request, this.#context, 'connect', this.#options.socket ?? 'requester');
    socket.linger = 0;
    this.#pending.add(socket);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      socket.close();
    }, this.#options.timeoutMs);
    try {
      connectSocket(socket, this.#address, this.#context, { oneShot: true });
      await socket.send(body);
      const [reply] = await socket.receive();
      return reply ?? new Uint8Array(0);
    } catch (error) {
      if (timedOut) throw this.#timeoutError();
      if (this.#closed)
        throw closedError(
          this.#context,
          this.#address,
          `The ${this.#options.what} requester was closed while a request was pending`,
          error,
        );
      throw error;
    } finally {
      clearTimeout(timer);
      if (!socket.closed) socket.close();
      this.#pending.delete(socket);
    }
  }

  /** Closes the sockets of pending requests (they reject); later requests reject at once. Safe twice. */
  close(): void {
    this.#closed = true;
    for (const socket of this.#pending) if (!socket.closed) socket.close();
  }

  #timeoutError(): RequestTimeoutError {
    const { what, timeoutMs, timeoutHint } = this.#options;
    return new RequestTimeoutError(`No ${what} from ${this.#address.endpoint} (${this.#address.path}) within ${timeoutMs} ms`, timeoutMs, {
      service: this.#context.service,
      model: this.#context.modelPath,
      hint: timeoutHint,
    });
  }
}
