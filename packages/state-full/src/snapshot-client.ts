import { encodeRequest } from '@sf/core/plugin';
import type { EndpointContext } from '@sf/core/plugin';
import { createSocket, type SocketAddress } from '@sf/zmq-base';
import { Request } from 'zeromq';

/** What a full state's in side sends to ask for a snapshot: `{"args": {}, "workflow_id": nil}`. */
const SNAPSHOT_REQUEST = encodeRequest({ args: {}, workflow_id: null });

/** Why a snapshot request got no reply frame. */
export class SnapshotUnavailable extends Error {
  /** True when the request timed out (the out side may be down); false when the client was closed. */
  readonly timedOut: boolean;

  constructor(message: string, timedOut: boolean) {
    super(message);
    this.timedOut = timedOut;
  }
}

/**
 * Asks a `full_update_out`'s replyer for its latest value, one request at a time. Each attempt uses
 * a fresh REQ socket that is dropped afterwards, so a timed-out request never leaves the REQ state
 * machine stuck and a late reply to it can never be mistaken for the next one.
 */
export class SnapshotClient {
  readonly #context: EndpointContext;
  readonly #address: SocketAddress;
  #socket: Request | undefined;
  #closed = false;

  constructor(context: EndpointContext, address: SocketAddress) {
    this.#context = context;
    this.#address = address;
  }

  /** Sends one snapshot request and resolves to the reply frame; rejects with SnapshotUnavailable after `timeoutMs`. */
  async request(timeoutMs: number): Promise<Uint8Array> {
    if (this.#closed) throw new SnapshotUnavailable('the snapshot client is closed', false);
    const socket = createSocket(Request, this.#context, 'connect', 'requester');
    socket.linger = 0;
    this.#socket = socket;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      socket.close();
    }, timeoutMs);
    try {
      socket.connect(this.#address.endpoint);
      await socket.send(SNAPSHOT_REQUEST);
      const [reply] = await socket.receive();
      return reply ?? new Uint8Array(0);
    } catch (error) {
      if (timedOut) throw new SnapshotUnavailable(`no snapshot from ${this.#address.endpoint} (${this.#address.path}) within ${timeoutMs} ms`, true);
      if (this.#closed) throw new SnapshotUnavailable('the snapshot client was closed while a request was pending', false);
      throw error;
    } finally {
      clearTimeout(timer);
      if (!socket.closed) socket.close();
      if (this.#socket === socket) this.#socket = undefined;
    }
  }

  /** Closes the pending request's socket, if any (the request rejects); later requests reject at once. Safe twice. */
  close(): void {
    this.#closed = true;
    const socket = this.#socket;
    if (socket && !socket.closed) socket.close();
  }
}
