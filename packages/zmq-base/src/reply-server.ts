import type { EndpointContext } from '@sf/core/plugin';
import { Router } from 'zeromq';
import { type SocketAddress, socketAddress } from './address.js';
import { bindSocket } from './bind-connect.js';
import { CLOSE_LINGER_MS, closedError, closeSocket, settleWithin } from './close.js';
import { createSocket, socketSettings } from './create-socket.js';
import { SendQueue } from './send-queue.js';

/** Most frames one request may have: routing ids (one per ROUTER/DEALER hop), the empty delimiter, the body. */
export const MAX_REQUEST_FRAMES = 8;

/** Longest routing id ZeroMQ gives a peer (ids are 1 to 255 bytes). */
const MAX_ROUTING_ID_BYTES = 255;

/**
 * A request's routing envelope (routing ids and the empty delimiter a REQ peer expects back) and
 * its body, or why the message is refused. A REQ peer's message arrives as `[id, '', body]`, a
 * DEALER's without delimiter as `[id, body]`; only the envelope is sent back with the reply, so a
 * peer's extra frames are never echoed. Anything else (more than {@link MAX_REQUEST_FRAMES} frames,
 * an id over 255 bytes, frames after the body) is refused whole.
 */
export function splitRequest(frames: Buffer[]): { envelope: Uint8Array[]; body: Buffer } | string {
  if (frames.length < 2) return 'it has no routing envelope';
  if (frames.length > MAX_REQUEST_FRAMES) return `it has ${frames.length} frames, more than ${MAX_REQUEST_FRAMES}`;
  const delimiter = frames.findIndex((frame) => frame.length === 0);
  const bodyAt = delimiter === -1 ? 1 : delimiter + 1;
  if (bodyAt === frames.length) return 'it has no body after its routing envelope';
  if (bodyAt !== frames.length - 1) return `it has ${frames.length - 1 - bodyAt} frames after its body (a request is one frame)`;
  const envelope: Uint8Array[] = frames.slice(0, bodyAt);
  for (let i = 0; i < (delimiter === -1 ? 1 : delimiter); i++) {
    if (envelope[i]!.length > MAX_ROUTING_ID_BYTES)
      return `routing id ${i} has ${envelope[i]!.length} bytes, more than ${MAX_ROUTING_ID_BYTES}`;
  }
  return { envelope, body: frames[bodyAt]! };
}

/** How long `close()` waits for the requests being answered before closing anyway. */
export const REPLY_GRACE_MS = 1000;

/** Builds the reply to one request body; `undefined` sends none (see `ReplyServerOptions.noReply`). */
export type AnswerRequest = (body: Buffer) => Uint8Array | undefined | Promise<Uint8Array | undefined>;

/** How a {@link ReplyServer} answers and names itself. */
export interface ReplyServerOptions {
  /** Names the server in log lines and errors, e.g. `replyer` or `snapshot replyer`. */
  readonly label: string;
  /** Builds each reply; requests are handed over in arrival order, `concurrency` at most at once. */
  readonly answer: AnswerRequest;
  /** The socket's name in the addresses file; `replyer` by default. */
  readonly socket?: string;
  /** Logged at error when `answer` gives `undefined` (that requester gets no answer); nothing is logged without it. */
  readonly noReply?: string;
  /**
   * How many requests may be answered at once: 1 (the default) answers one at a time, in arrival
   * order; more lets the next requests start while earlier ones wait (e.g. on I/O), each reply
   * going back to its own requester by its routing envelope, in the order the answers are ready.
   */
  readonly concurrency?: number;
  /** Replies queued per peer before further ones to it are dropped; the endpoint's `send_high_water_mark` (or ZeroMQ's 1000) without it. */
  readonly sendHighWaterMark?: number;
}

/**
 * A Router socket bound at one address that answers requests in arrival order, one at a time
 * unless `concurrency` allows more: each message is `[routing envelope…, body]` and the reply goes
 * back as `[envelope…, reply]`, which a plain REQ peer (or one behind a ROUTER/DEALER proxy)
 * expects. Router rather than Reply, so a peer that never reads its reply cannot block the socket
 * and answers can go out in any order. At the limit, further requests wait in ZeroMQ's queue.
 * Shaped like an in endpoint.
 */
export class ReplyServer {
  /** Where the socket binds, and where that sits in the addresses file. */
  readonly address: SocketAddress;
  readonly #context: EndpointContext;
  readonly #label: string;
  readonly #answer: AnswerRequest;
  readonly #socketName: string;
  readonly #concurrency: number;
  readonly #noReply: string | undefined;
  readonly #sendHighWaterMark: number | undefined;
  readonly #log: { readonly address: string };
  readonly #sends = new SendQueue();
  #socket: Router | undefined;
  #active = 0;
  #slotFreed: (() => void) | undefined;
  #drained: (() => void) | undefined;
  #stopping = false;
  #closing: Promise<void> | undefined;

  constructor(context: EndpointContext, options: ReplyServerOptions) {
    this.#context = context;
    this.#label = options.label;
    this.#answer = options.answer;
    this.#socketName = options.socket ?? 'replyer';
    this.#concurrency = options.concurrency ?? 1;
    this.#noReply = options.noReply;
    this.#sendHighWaterMark = options.sendHighWaterMark;
    this.address = socketAddress(context, this.#socketName, 'bind');
    this.#log = { address: this.address.path };
    socketSettings(context, 'bind');
  }

  /** Binds and starts answering; does nothing when open. A failed bind can be tried again. */
  async open(): Promise<void> {
    if (this.#closing) throw closedError(this.#context, this.address, `Cannot open a ${this.#label} after close`);
    if (this.#socket) return;
    const socket = createSocket(Router, this.#context, 'bind', this.#socketName);
    if (this.#sendHighWaterMark !== undefined) socket.sendHighWaterMark = this.#sendHighWaterMark;
    await bindSocket(socket, this.address, this.#context);
    this.#socket = socket;
    void this.#serve(socket);
  }

  /** Takes no new request; the ones being answered still get their replies. */
  async pause(): Promise<void> {
    this.#stopping = true;
  }

  /** Waits up to {@link REPLY_GRACE_MS} for the requests being answered, then frees the port; safe twice. */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    this.#stopping = true;
    this.#slotFreed?.();
    const socket = this.#socket;
    if (!socket) return;
    if (this.#active > 0) {
      const drained = new Promise<void>((resolve) => {
        this.#drained = resolve;
      });
      await settleWithin(drained, REPLY_GRACE_MS);
    }
    await settleWithin(this.#sends.settled(), REPLY_GRACE_MS);
    await closeSocket(socket, CLOSE_LINGER_MS);
  }

  async #serve(socket: Router): Promise<void> {
    const log = this.#log;
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
      const replied = this.#reply(socket, frames);
      if (this.#concurrency === 1) await replied;
      else if (this.#active >= this.#concurrency) {
        await new Promise<void>((resolve) => {
          this.#slotFreed = resolve;
        });
      }
    }
  }

  /** Answers one message; never rejects. */
  async #reply(socket: Router, frames: Buffer[]): Promise<void> {
    const { logger } = this.#context;
    const log = this.#log;
    this.#active += 1;
    try {
      const split = splitRequest(frames);
      if (typeof split === 'string') {
        this.#context.reject('bad_envelope', `${this.#label} dropped a message: ${split}`, { frames: frames.length, ...log });
        return;
      }
      const { envelope, body } = split;
      let reply: Uint8Array | undefined;
      try {
        reply = await this.#answer(body);
      } catch (error) {
        logger.error({ err: error, ...log }, `${this.#label} failed to answer a request`);
        return;
      }
      if (reply === undefined) {
        if (this.#noReply !== undefined) logger.error(log, this.#noReply);
        return;
      }
      if (socket.closed) {
        logger.warn(log, `${this.#label} closed before its reply was ready; the reply was dropped`);
        return;
      }
      const out: Uint8Array[] = envelope;
      out.push(reply);
      try {
        await this.#sends.send(socket, out);
      } catch (error) {
        if (!socket.closed) logger.error({ err: error, ...log }, `${this.#label} could not send a reply`);
      }
    } finally {
      this.#active -= 1;
      const wake = this.#slotFreed;
      this.#slotFreed = undefined;
      wake?.();
      if (this.#active === 0) this.#drained?.();
    }
  }
}
