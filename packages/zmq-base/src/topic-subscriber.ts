import type { EndpointContext } from '@sf/core/plugin';
import { isPromiseLike, stripTopic, topicPrefix } from '@sf/core/plugin';
import { Subscriber } from 'zeromq';
import { type SocketAddress, socketAddress } from './address.js';
import { bindSocket, connectSocket } from './bind-connect.js';
import { closedError, closeSocket } from './close.js';
import { createSocket, socketSettings } from './create-socket.js';

/** How long after a disconnect ZeroMQ's own retry must have started, else the subscriber connects again. */
const REJOIN_CHECK_MS = 200;

/** How a {@link TopicSubscriber} hands on what it receives and names itself. */
export interface TopicSubscriberOptions {
  /** Names the endpoint in log lines and errors, e.g. `subscriber` or `full_update_in`. */
  readonly label: string;
  /**
   * Takes one payload, topic prefix removed. When it returns a promise the next payload waits
   * until that settles; any other result (a synchronous delivery) lets the next one go at once.
   */
  readonly deliver: (payload: Uint8Array) => unknown;
  /** Bind instead of connecting (a subscriber with `is_binder`). */
  readonly binds?: boolean;
  /**
   * Called after each handshake with a publisher (`connected` true) and when a connection is lost
   * while the subscriber is open (`connected` false). `handshakes` counts this socket's handshakes
   * from 1: for a subscriber that connects (the default), above 1 is a reconnect, and publications
   * sent meanwhile were lost (e.g. ask for a snapshot); a binding one counts every publisher.
   */
  readonly onConnectionChange?: (connected: boolean, handshakes: number) => void;
  /** The socket's name in the addresses file; `subscriber` by default. */
  readonly socket?: string;
}

/**
 * A Subscriber socket that connects (or binds), subscribes to `msgpack(topic)` when the creation
 * argument `topic` is set (to everything otherwise) and hands each one-frame message on without
 * its topic, one at a time, in arrival order, until paused or closed. Shaped like an in endpoint.
 */
export class TopicSubscriber {
  /** Where the socket binds or connects, and where that sits in the addresses file. */
  readonly address: SocketAddress;
  readonly #context: EndpointContext;
  readonly #options: TopicSubscriberOptions;
  readonly #prefix: Uint8Array | undefined;
  #socket: Subscriber | undefined;
  #paused = false;
  #closing: Promise<void> | undefined;

  constructor(context: EndpointContext, options: TopicSubscriberOptions) {
    this.#context = context;
    this.#options = options;
    this.address = socketAddress(context, options.socket ?? 'subscriber', options.binds ? 'bind' : 'connect');
    socketSettings(context, options.binds ? 'bind' : 'connect');
    const topic = context.creation.topic;
    this.#prefix = typeof topic === 'string' ? topicPrefix(topic) : undefined;
  }

  /** Subscribes, binds or connects, and starts handing messages on; does nothing when open. A failed bind can be tried again. */
  async open(): Promise<void> {
    if (this.#closing) throw closedError(this.#context, this.address, `Cannot open a ${this.#options.label} after close`);
    if (this.#socket) return;
    const socket = createSocket(Subscriber, this.#context, this.#options.binds ? 'bind' : 'connect', this.#options.socket ?? 'subscriber');
    this.#countConnections(socket);
    if (!this.#options.binds) this.#rejoinWhenDropped(socket);
    if (this.#prefix) socket.subscribe(Buffer.from(this.#prefix));
    else socket.subscribe();
    if (this.#options.binds) await bindSocket(socket, this.address, this.#context);
    else connectSocket(socket, this.address, this.#context);
    this.#socket = socket;
    void this.#listen(socket);
  }

  /** Hands nothing more on; the payload being handled finishes. */
  async pause(): Promise<void> {
    this.#paused = true;
  }

  /** Stops and frees the socket at once (nothing to flush: a running delivery is not awaited); safe twice. */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    this.#paused = true;
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket) await closeSocket(socket, 0);
  }

  /** Calls `onConnectionChange` after each handshake (with their count so far) and on each lost connection. */
  #countConnections(socket: Subscriber): void {
    const changed = this.#options.onConnectionChange;
    if (changed === undefined) return;
    let handshakes = 0;
    socket.events.on('handshake', () => {
      handshakes += 1;
      this.#context.logger.debug({ address: this.address.path, handshakes }, `${this.#options.label} connected to its publisher`);
      changed(true, handshakes);
    });
    socket.events.on('disconnect', () => {
      if (this.#closing === undefined) changed(false, handshakes);
    });
  }

  /**
   * Logs each lost connection (a closed socket, or a peer found dead by TCP keepalive or heartbeats).
   * ZeroMQ retries a lost connection by itself, except one it dropped because the publisher broke
   * the protocol (a frame over `max_message_size`): then no retry follows the disconnect, and this
   * connects again, so one oversized publication does not silence the subscriber for good.
   */
  #rejoinWhenDropped(socket: Subscriber): void {
    const { path } = this.address;
    // Per endpoint: a subscriber may connect to several publishers (the replicas of one).
    const retrying = new Set<string>();
    socket.events.on('connect:retry', ({ address }) => {
      retrying.add(address);
    });
    socket.events.on('disconnect', ({ address: endpoint }) => {
      retrying.delete(endpoint);
      if (this.#closing === undefined)
        this.#context.logger.info(
          { address: path, endpoint },
          `${this.#options.label} lost its peer at ${endpoint} (closed, or found dead); ZeroMQ reconnects`,
        );
      setTimeout(() => {
        if (retrying.has(endpoint) || socket.closed || this.#paused) return;
        this.#context.logger.warn(
          { address: path, endpoint },
          `${this.#options.label} was dropped by its publisher's connection (a frame over max_message_size?); connecting again`,
        );
        try {
          socket.disconnect(endpoint);
          socket.connect(endpoint);
        } catch (error) {
          this.#context.logger.error({ err: error, address: path }, `${this.#options.label} could not connect again`);
        }
      }, REJOIN_CHECK_MS).unref();
    });
  }

  async #listen(socket: Subscriber): Promise<void> {
    const { logger } = this.#context;
    const { label, deliver } = this.#options;
    const log = { address: this.address.path };
    while (!this.#paused) {
      let frames: Buffer[];
      try {
        frames = await socket.receive();
      } catch (error) {
        if (!socket.closed) logger.error({ err: error, ...log }, `${label} stopped receiving: socket error`);
        return;
      }
      if (this.#paused) return;
      const [frame] = frames;
      if (frames.length !== 1 || frame === undefined) {
        this.#context.reject('not_one_frame', `${label} dropped a message that is not exactly one frame`, {
          frames: frames.length,
          ...log,
        });
        continue;
      }
      try {
        const delivered = deliver(stripTopic(frame, this.#prefix));
        if (isPromiseLike(delivered)) await delivered;
      } catch (error) {
        logger.error({ err: error, ...log }, `${label} failed to deliver a message`);
      }
    }
  }
}
