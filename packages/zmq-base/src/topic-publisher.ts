import { setTimeout as sleep } from 'node:timers/promises';
import type { EndpointContext } from '@sf/core/plugin';
import { numberArgument, topicPrefix } from '@sf/core/plugin';
import { Publisher } from 'zeromq';
import { type SocketAddress, socketAddress } from './address.js';
import { bindSocket, connectSocket } from './bind-connect.js';
import { CLOSE_LINGER_MS, closedError, closeSocket, settleWithin } from './close.js';
import { createSocket, socketSettings } from './create-socket.js';
import { BurstSender } from './burst-sender.js';
import { HighWaterDrops, ZMQ_DEFAULT_HIGH_WATER_MARK } from './high-water-drops.js';

/** Default `wait_after_creation_s`: time `open()` waits so subscribers can join before the first publication. */
export const DEFAULT_WAIT_AFTER_CREATION_S = 0.15;

/** How a {@link TopicPublisher} sets up its socket and names itself. */
export interface TopicPublisherOptions {
  /** Names the endpoint in errors, e.g. `publisher` or `delta_update_out state`. */
  readonly label: string;
  /** Connect instead of binding (a publisher with `is_x_pub`, to a proxy's XSUB side). */
  readonly connects?: boolean;
  /**
   * Make drops at the send high-water mark (the `send_high_water_mark` creation argument, ZeroMQ's
   * 1000 when absent) visible: the socket gets ZeroMQ's `noDrop`, so a message that a subscriber's
   * full queue would lose is refused instead, for every subscriber, and counted and logged (see
   * {@link HighWaterDrops}) rather than lost silently for that one subscriber.
   */
  readonly countDrops?: boolean;
  /** The socket's name in the addresses file; `publisher` by default. */
  readonly socket?: string;
  /**
   * Gather the frames of one event-loop turn and hand them over together (see {@link BurstSender}):
   * for publishers whose subscribers need no more than the frames' own order. Off, each frame goes
   * to the socket as it is sent, so a snapshot taken after a send never precedes it on the wire
   * by a turn (what an unnumbered state's late joiner relies on).
   */
  readonly bursts?: boolean;
}

/**
 * A Publisher socket that binds (or connects), waits `wait_after_creation_s` (creation argument,
 * 0.15 s by default) in `open()` so subscribers can join, and sends whole frames: each starts with
 * its {@link TopicPublisher.prefix} (`msgpack(topic)` when the creation argument `topic` is set),
 * which the endpoint encodes in front of its payload. Frames go out in the order asked; with
 * `bursts`, those of one event-loop turn together (see {@link BurstSender}).
 */
export class TopicPublisher {
  /** Where the socket binds or connects, and where that sits in the addresses file. */
  readonly address: SocketAddress;
  readonly #context: EndpointContext;
  readonly #options: TopicPublisherOptions;
  readonly #waitMs: number;
  /** What every frame starts with: `msgpack(topic)` with a `topic` creation argument, else empty. */
  readonly prefix: Uint8Array;
  #socket: Publisher | undefined;
  #burst: BurstSender | undefined;
  #closing: Promise<void> | undefined;
  readonly #drops: HighWaterDrops | undefined;

  /** Reads the address and creation arguments; a bad `wait_after_creation_s` is a ValidationError. */
  constructor(context: EndpointContext, options: TopicPublisherOptions) {
    this.#context = context;
    this.#options = options;
    this.address = socketAddress(context, options.socket ?? 'publisher', options.connects ? 'connect' : 'bind');
    socketSettings(context, options.connects ? 'connect' : 'bind');
    this.#waitMs = numberArgument(context, 'wait_after_creation_s', DEFAULT_WAIT_AFTER_CREATION_S, 0, false) * 1000;
    const topic = context.creation.topic;
    this.prefix = typeof topic === 'string' ? topicPrefix(topic) : new Uint8Array(0);
    if (options.countDrops) {
      const mark = socketSettings(context).options.sendHighWaterMark ?? ZMQ_DEFAULT_HIGH_WATER_MARK;
      this.#drops = new HighWaterDrops(context, options.label, this.address.path, mark);
    }
  }

  /** Messages refused at a subscriber's high-water mark so far (with `countDrops`; else always 0). */
  get dropped(): number {
    return this.#drops?.count ?? 0;
  }

  /** Binds or connects, then waits `wait_after_creation_s`; does nothing when open. A failed bind can be tried again. */
  async open(): Promise<void> {
    if (this.#closing) throw closedError(this.#context, this.address, `Cannot open a ${this.#options.label} after close`);
    if (this.#socket) return;
    const socket = createSocket(Publisher, this.#context, this.#options.connects ? 'connect' : 'bind', this.#options.socket ?? 'publisher');
    // Set before binding: zeromq.js warns about options set later (this one would still work).
    if (this.#drops) socket.noDrop = true;
    // A PUB socket never blocks (it drops, or with noDrop refuses, past the high-water mark), so
    // every send completes at once; zeromq.js otherwise defers one send in 512 to a later turn,
    // which BurstSender does itself.
    socket.sendTimeout = 0;
    if (this.#options.connects) connectSocket(socket, this.address, this.#context);
    else await bindSocket(socket, this.address, this.#context);
    this.#socket = socket;
    const failed = (error: unknown): void => {
      this.#context.logger.error({ err: error, address: this.address.path }, `${this.#options.label} could not send a message`);
    };
    // A message refused at the mark is counted by #drops, not the sender's error.
    this.#burst = new BurstSender(socket, failed, { absorbs: this.#drops?.take });
    if (this.#waitMs > 0) await sleep(this.#waitMs);
  }

  /**
   * Throws `SF_CONNECTION_CLOSED` unless the publisher is open: an endpoint that changes its own
   * state for a frame (numbers it, stores it) checks first, then builds the frame and sends it in
   * the same synchronous step, so a refused send changes nothing.
   */
  checkOpen(): void {
    if (!this.#burst) throw this.#notOpen();
  }

  /**
   * Queues one whole frame, {@link prefix} included. Without `bursts` it goes to the socket at once
   * and the promise resolves once ZeroMQ took it; with `bursts` it waits for the end of the turn
   * (or a full burst) and the promise resolves once it is queued, unless the socket is not taking
   * sends at once. Rejects with `SF_CONNECTION_CLOSED` when the publisher is not open.
   */
  send(frame: Uint8Array): Promise<void> {
    const burst = this.#burst;
    if (!burst) return Promise.reject(this.#notOpen());
    return this.#options.bursts ? burst.send(frame) : burst.sendNow(frame);
  }

  /** Refuses new sends, lets queued ones go out (at most {@link CLOSE_LINGER_MS}), then frees the socket; safe twice. */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    const socket = this.#socket;
    const burst = this.#burst;
    this.#socket = undefined;
    this.#burst = undefined;
    if (burst) await settleWithin(burst.settled(), CLOSE_LINGER_MS);
    if (socket) await closeSocket(socket, CLOSE_LINGER_MS);
    this.#drops?.summary();
  }

  #notOpen(): Error {
    return closedError(this.#context, this.address, `The ${this.#options.label} is not open`);
  }
}
