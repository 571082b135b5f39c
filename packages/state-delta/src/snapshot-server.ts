import type { EndpointContext } from '@sf/core/plugin';
import { decodeRequest, encodeReply } from '@sf/core/plugin';
import { bindSocket, CLOSE_LINGER_MS, closeSocket, type SocketAddress } from '@sf/zmq-base';
import { Router } from 'zeromq';
import type { StateValue } from './apply-delta.js';
import { encodeSnapshotReply } from './wire.js';

/** The out side's current state and number, read at the moment a request is answered. */
export type SnapshotSource = () => { state: StateValue; num: number };

/**
 * Answers snapshot requests on the out side's `replyer` socket: a Router, so any REQ peer (or one
 * behind a ROUTER/DEALER proxy) can ask. Each answer is built and queued in one synchronous step
 * from `source()`, so it holds exactly the updates numbered up to its `current_num`.
 */
export class SnapshotServer {
  readonly #context: EndpointContext;
  readonly #address: SocketAddress;
  readonly #source: SnapshotSource;
  #socket: Router | undefined;

  constructor(context: EndpointContext, address: SocketAddress, source: SnapshotSource) {
    this.#context = context;
    this.#address = address;
    this.#source = source;
  }

  /** Binds the socket and starts answering. */
  async open(): Promise<void> {
    const socket = new Router();
    await bindSocket(socket, this.#address, this.#context);
    this.#socket = socket;
    void this.#serve(socket);
  }

  /** Stops answering and frees the port; safe to call twice. */
  async close(): Promise<void> {
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket) await closeSocket(socket, CLOSE_LINGER_MS);
  }

  async #serve(socket: Router): Promise<void> {
    const logger = this.#context.logger;
    for (;;) {
      let frames: Buffer[];
      try {
        frames = await socket.receive();
      } catch (error) {
        if (!socket.closed) logger.error({ err: error, address: this.#address.path }, 'snapshot replyer stopped receiving: socket error');
        return;
      }
      const body = frames.at(-1);
      if (frames.length < 2 || body === undefined) {
        logger.warn({ frames: frames.length, address: this.#address.path }, 'snapshot replyer dropped a message without a routing envelope');
        continue;
      }
      try {
        await socket.send([...frames.slice(0, -1), this.#answer(body)]);
      } catch (error) {
        if (socket.closed) return;
        logger.warn({ err: error, address: this.#address.path }, 'snapshot replyer could not send a reply');
      }
    }
  }

  #answer(body: Buffer): Uint8Array {
    let workflowId: string | null = null;
    try {
      workflowId = decodeRequest(body).workflow_id;
      const { state, num } = this.#source();
      return encodeSnapshotReply(state, num, workflowId);
    } catch (error) {
      this.#context.logger.warn({ err: error, address: this.#address.path }, 'snapshot request failed');
      const type = error instanceof Error ? error.name : 'Error';
      return encodeReply({ return_args: null, workflow_id: workflowId, error: { type, message: String((error as Error)?.message ?? error) } });
    }
  }
}
