import { connect, type Socket } from 'node:net';
import type { Endpoint, EndpointContext, OutboundMessage, TypeDefinition } from '@sf/core/plugin';
import { type ListenerAddress, listenerAddress, positiveNumber } from './endpoint-config.js';
import { frameToLine } from './framing.js';
import { closedError, connectError, sendError } from './transport-errors.js';

/** Default time to keep retrying a refused connection (the listener may still be starting). */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;

/** Pause between two connection attempts. */
const RETRY_MS = 100;

/** How long `close()` waits for written lines to drain before dropping the connection. */
const CLOSE_GRACE_MS = 1000;

/**
 * The `ndjson_out` type: connects to an `ndjson_in` listener and writes one line per `to_send`.
 * `to_send` resolves once the line is handed to the network (at most once: a line written while
 * the listener goes away may be lost). A dropped connection is re-opened by the next send.
 */
export const ndjsonOut: TypeDefinition = {
  side: 'out',
  kind: 'connection',
  peers: ['ndjson_in'],
  addresses: ['listener'],
  replies: false,
  creationArguments: { optional: { connect_timeout_ms: Number } },
  description: 'Connects to an ndjson_in listener over TCP and writes one line per message (fire-and-forget).',
  create: (context) => new NdjsonOutEndpoint(context),
};

class NdjsonOutEndpoint implements Endpoint {
  readonly #context: EndpointContext;
  readonly #address: ListenerAddress;
  readonly #timeoutMs: number;
  #socket: Socket | undefined;
  #connecting: Promise<Socket> | undefined;
  #closing: Promise<void> | undefined;

  constructor(context: EndpointContext) {
    this.#context = context;
    this.#address = listenerAddress(context, 'out');
    this.#timeoutMs = positiveNumber(context, 'connect_timeout_ms', DEFAULT_CONNECT_TIMEOUT_MS);
  }

  async open(): Promise<void> {
    if (this.#closing) throw closedError(this.#context, this.#address, 'Cannot open an ndjson_out connection after close');
    await this.#connected();
  }

  async send(message: OutboundMessage): Promise<undefined> {
    if (this.#closing) throw closedError(this.#context, this.#address, 'Cannot send on an ndjson_out connection after close');
    const socket = await this.#connected();
    const line = frameToLine(message.frame());
    await new Promise<void>((resolve, reject) => {
      socket.write(line, (error) => (error ? reject(sendError(this.#context, this.#address, error)) : resolve()));
    });
    return undefined;
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    await this.#connecting?.catch(() => undefined);
    const socket = this.#socket;
    this.#socket = undefined;
    if (!socket || socket.destroyed) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => socket.destroy(), CLOSE_GRACE_MS);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.end();
    });
  }

  /** The open connection, or a new one (shared by concurrent sends). */
  #connected(): Promise<Socket> {
    if (this.#socket && !this.#socket.destroyed && this.#socket.writable) return Promise.resolve(this.#socket);
    this.#connecting ??= this.#connect().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  /** Connects, retrying every {@link RETRY_MS} until the connect timeout is spent. */
  async #connect(): Promise<Socket> {
    const deadline = Date.now() + this.#timeoutMs;
    for (;;) {
      try {
        const socket = await connectOnce(this.#address, deadline - Date.now());
        if (this.#closing) {
          socket.destroy();
          throw closedError(this.#context, this.#address, 'The ndjson_out connection was closed while connecting');
        }
        this.#watch(socket);
        return socket;
      } catch (error) {
        if (this.#closing) throw error;
        if (Date.now() + RETRY_MS >= deadline) throw connectError(this.#context, this.#address, this.#timeoutMs, error);
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  }

  #watch(socket: Socket): void {
    const logger = this.#context.logger;
    this.#socket = socket;
    // The listener never writes; reading keeps 'end' (the listener went away) observable.
    socket.resume();
    socket.on('error', (error) => logger.warn({ err: error, address: this.#address.text }, 'ndjson_out: connection failed'));
    socket.on('close', () => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      if (!this.#closing) logger.info({ address: this.#address.text }, 'ndjson_out: connection lost; the next send reconnects');
    });
    logger.debug({ address: this.#address.text }, 'ndjson_out: connected');
  }
}

/** One connection attempt that gives up after `timeoutMs`. */
function connectOnce(address: ListenerAddress, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: address.host ?? '127.0.0.1', port: address.port });
    socket.setTimeout(Math.max(timeoutMs, 1), () => socket.destroy(new Error(`no answer after ${Math.round(timeoutMs)} ms`)));
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.setTimeout(0);
      socket.removeListener('error', reject);
      resolve(socket);
    });
  });
}
