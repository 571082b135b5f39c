import { RequestTimeoutError } from '@sf/core';
import type { EndpointContext } from '@sf/core/plugin';
import { closedError, closeSocket, connectSocket, createSocket, type SocketAddress } from '@sf/zmq-base';
import { Request } from 'zeromq';
import { decodeSnapshotReply, encodeSnapshotRequest, type Snapshot } from './wire.js';

/**
 * Asks the out side's `replyer` for its whole state over a REQ socket, one request at a time,
 * each bounded by `timeoutMs`. A request that fails or times out discards the socket (REQ cannot
 * send again before a reply), so the next one starts on a fresh connection.
 */
export class SnapshotClient {
  readonly #context: EndpointContext;
  readonly #address: SocketAddress;
  readonly #timeoutMs: number;
  #socket: Request | undefined;
  #closed = false;

  constructor(context: EndpointContext, address: SocketAddress, timeoutMs: number) {
    this.#context = context;
    this.#address = address;
    this.#timeoutMs = timeoutMs;
  }

  /** Requests one snapshot. Rejects with RequestTimeoutError, DecodeError or TransportError (closed). */
  async fetch(): Promise<Snapshot> {
    if (this.#closed) throw closedError(this.#context, this.#address, 'The delta_update_in state is closed');
    this.#socket ??= this.#connect();
    const socket = this.#socket;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(this.#timeoutError()), this.#timeoutMs);
    });
    const exchange = exchangeOn(socket, encodeSnapshotRequest(null));
    try {
      return decodeSnapshotReply(await Promise.race([exchange, timeout]));
    } catch (error) {
      exchange.catch(noop);
      this.#discard(socket);
      if (this.#closed) throw closedError(this.#context, this.#address, 'The delta_update_in state was closed while asking for a snapshot', error);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes the socket; safe to call twice. */
  async close(): Promise<void> {
    this.#closed = true;
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket) await closeSocket(socket, 0);
  }

  #connect(): Request {
    const socket = createSocket(Request, this.#context, 'connect', 'requester');
    connectSocket(socket, this.#address, this.#context);
    return socket;
  }

  #discard(socket: Request): void {
    if (this.#socket === socket) this.#socket = undefined;
    if (socket.closed) return;
    socket.linger = 0;
    socket.close();
  }

  #timeoutError(): RequestTimeoutError {
    return new RequestTimeoutError(`No snapshot from ${this.#address.endpoint} (${this.#address.path}) within ${this.#timeoutMs} ms`, this.#timeoutMs, {
      service: this.#context.service,
      model: this.#context.modelPath,
      hint: 'Check that the delta_update_out service is running with its replyer at that address, or raise snapshot_timeout_ms',
    });
  }
}

async function exchangeOn(socket: Request, body: Uint8Array): Promise<Uint8Array> {
  await socket.send(body);
  const [reply] = await socket.receive();
  return reply ?? new Uint8Array(0);
}

function noop(): void {}
