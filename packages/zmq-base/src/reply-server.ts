import type { EndpointContext } from '@sf/core/plugin';
import { Router } from 'zeromq';
import { type SocketAddress, socketAddress } from './address.js';
import { bindSocket } from './bind-connect.js';
import { CLOSE_LINGER_MS, closedError, closeSocket, settleWithin } from './close.js';
import { createSocket, socketSettings } from './create-socket.js';

/** How long `close()` waits for the request being answered before closing anyway. */
export const REPLY_GRACE_MS = 1000;

/** Builds the reply to one request body; `undefined` sends none (the callback logs why). */
export type AnswerRequest = (body: Buffer) => Uint8Array | undefined | Promise<Uint8Array | undefined>;

/** How a {@link ReplyServer} answers and names itself. */
export interface ReplyServerOptions {
  /** Names the server in log lines and errors, e.g. `replyer` or `snapshot replyer`. */
  readonly label: string;
  /** Builds each reply; requests are handed over one at a time, in arrival order. */
  readonly answer: AnswerRequest;
  /** The socket's name in the addresses file; `replyer` by default. */
  readonly socket?: string;
}

/**
 * A Router socket bound at one address that answers requests one at a time, in arrival order:
 * each message is `[routing envelope…, body]` and the reply goes back as `[envelope…, reply]`,
 * which a plain REQ peer (or one behind a ROUTER/DEALER proxy) expects. Router rather than Reply,
 * so a peer that never reads its reply cannot block the socket. Shaped like an in endpoint.
 */
export class ReplyServer {
  /** Where the socket binds, and where that sits in the addresses file. */
  readonly address: SocketAddress;
  readonly #context: EndpointContext;
  readonly #label: string;
  readonly #answer: AnswerRequest;
  readonly #socketName: string;
  #socket: Router | undefined;
  #busy: Promise<void> | undefined;
  #stopping = false;
  #closing: Promise<void> | undefined;

  constructor(context: EndpointContext, options: ReplyServerOptions) {
    this.#context = context;
    this.#label = options.label;
    this.#answer = options.answer;
    this.#socketName = options.socket ?? 'replyer';
    this.address = socketAddress(context, this.#socketName, 'bind');
    socketSettings(context, 'bind');
  }

  /** Binds and starts answering; does nothing when open. A failed bind can be tried again. */
  async open(): Promise<void> {
    if (this.#closing) throw closedError(this.#context, this.address, `Cannot open a ${this.#label} after close`);
    if (this.#socket) return;
    const socket = createSocket(Router, this.#context, 'bind', this.#socketName);
    await bindSocket(socket, this.address, this.#context);
    this.#socket = socket;
    void this.#serve(socket);
  }

  /** Takes no new request; the one being answered still gets its reply. */
  async pause(): Promise<void> {
    this.#stopping = true;
  }

  /** Waits up to {@link REPLY_GRACE_MS} for the request being answered, then frees the port; safe twice. */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    this.#stopping = true;
    const socket = this.#socket;
    if (!socket) return;
    if (this.#busy) await settleWithin(this.#busy, REPLY_GRACE_MS);
    await closeSocket(socket, CLOSE_LINGER_MS);
  }

  async #serve(socket: Router): Promise<void> {
    const log = { address: this.address.path };
    while (!this.#stopping) {
      let frames: Buffer[];
      try {
        frames = await socket.receive();
      } catch (error) {
        if (!socket.closed) this.#context.logger.error({ err: error, ...log }, `${this.#label} stopped receiving: socket error`);
        return;
      }
      if (this.#stopping) {
        this.#context.logger.warn(log, `${this.#label} is stopping: a request that arrived meanwhile was not handled`);
        return;
      }
      this.#busy = this.#reply(socket, frames);
      await this.#busy;
      this.#busy = undefined;
    }
  }

  /** Answers one message; never rejects. */
  async #reply(socket: Router, frames: Buffer[]): Promise<void> {
    const { logger } = this.#context;
    const log = { address: this.address.path };
    const body = frames.at(-1);
    if (frames.length < 2 || body === undefined) {
      logger.warn({ frames: frames.length, ...log }, `${this.#label} dropped a message without a routing envelope`);
      return;
    }
    let reply: Uint8Array | undefined;
    try {
      reply = await this.#answer(body);
    } catch (error) {
      logger.error({ err: error, ...log }, `${this.#label} failed to answer a request`);
      return;
    }
    if (reply === undefined) return;
    if (socket.closed) {
      logger.warn(log, `${this.#label} closed before its reply was ready; the reply was dropped`);
      return;
    }
    try {
      await socket.send([...frames.slice(0, -1), reply]);
    } catch (error) {
      if (!socket.closed) logger.error({ err: error, ...log }, `${this.#label} could not send a reply`);
    }
  }
}
