import { createServer, type Server, type Socket } from 'node:net';
import type { Endpoint, EndpointContext, TypeDefinition } from '@sf/core/plugin';
import { type ListenerAddress, listenerAddress, positiveNumber } from './endpoint-config.js';
import { LineReader, lineToFrame } from './framing.js';
import { bindError, closedError } from './transport-errors.js';

/** Default longest line a client may send before it is disconnected (16 MiB). */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

/**
 * The `ndjson_in` type: a TCP server on its `listener` address. Any number of clients may connect,
 * leave and come back; each line a client sends is one message, handed to the runner in arrival
 * order. No reply goes back.
 */
export const ndjsonIn: TypeDefinition = {
  side: 'in',
  kind: 'connection',
  peers: ['ndjson_out'],
  addresses: ['listener'],
  handler: 'on_new_message',
  replies: false,
  creationArguments: {
    required: { on_new_message: Function },
    optional: { max_line_bytes: Number },
  },
  description: 'Listens on TCP; every line a client sends is one message (fire-and-forget).',
  create: (context) => new NdjsonInEndpoint(context),
};

class NdjsonInEndpoint implements Endpoint {
  readonly #context: EndpointContext;
  readonly #address: ListenerAddress;
  readonly #maxLineBytes: number;
  readonly #clients = new Set<Socket>();
  #server: Server | undefined;
  #stopped: Promise<void> | undefined;
  #paused = false;
  #closing: Promise<void> | undefined;

  constructor(context: EndpointContext) {
    this.#context = context;
    this.#address = listenerAddress(context, 'in');
    this.#maxLineBytes = positiveNumber(context, 'max_line_bytes', DEFAULT_MAX_LINE_BYTES);
  }

  async open(): Promise<void> {
    if (this.#closing) throw closedError(this.#context, this.#address, 'Cannot open an ndjson_in connection after close');
    if (this.#server) return;
    const server = createServer((socket) => this.#accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error) => reject(bindError(this.#context, this.#address, error)));
      server.listen({ host: this.#address.host, port: this.#address.port }, () => resolve());
    });
    server.removeAllListeners('error');
    server.on('error', (error) => this.#context.logger.error({ err: error, address: this.#address.text }, 'ndjson_in listener failed'));
    this.#server = server;
  }

  /** Stops accepting clients and reading lines; messages already handed to the runner go on. */
  async pause(): Promise<void> {
    this.#paused = true;
    void this.#stopListening();
    for (const client of this.#clients) client.pause();
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    this.#paused = true;
    for (const client of this.#clients) client.destroy();
    await this.#stopListening();
  }

  /** Closes the server once; resolves when it and every client connection are gone. */
  #stopListening(): Promise<void> {
    const server = this.#server;
    if (!server) return Promise.resolve();
    this.#stopped ??= new Promise((resolve) => server.close(() => resolve()));
    return this.#stopped;
  }

  #accept(socket: Socket): void {
    const logger = this.#context.logger;
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    if (this.#paused) {
      socket.destroy();
      return;
    }
    this.#clients.add(socket);
    logger.debug({ peer }, 'ndjson_in: client connected');
    const reader = new LineReader();
    socket.on('data', (chunk: Buffer) => {
      for (const line of reader.push(chunk)) this.#dispatch(line, peer);
      if (reader.pendingBytes > this.#maxLineBytes) {
        logger.error({ peer, max_line_bytes: this.#maxLineBytes }, 'ndjson_in dropped a client whose line is longer than max_line_bytes');
        socket.destroy();
      }
    });
    socket.on('error', (error) => logger.warn({ err: error, peer }, 'ndjson_in: client connection failed'));
    socket.on('close', () => {
      this.#clients.delete(socket);
      if (reader.pendingBytes > 0 && !this.#paused) {
        logger.warn({ peer, bytes: reader.pendingBytes }, 'ndjson_in: a client left mid-line; its unfinished line was dropped');
      }
      logger.debug({ peer }, 'ndjson_in: client disconnected');
    });
  }

  #dispatch(line: string, peer: string): void {
    const logger = this.#context.logger;
    if (this.#paused) {
      logger.warn({ peer }, 'ndjson_in is stopping: a message that arrived meanwhile was not handled');
      return;
    }
    const decoded = lineToFrame(line);
    if ('problem' in decoded) {
      logger.warn({ peer, problem: decoded.problem }, 'ndjson_in dropped a line that is not {"frame": "<base64>"}');
      return;
    }
    // receive() never throws or rejects (core logs bad frames, and replies to nobody here).
    void this.#context.receive(decoded.frame);
  }
}
