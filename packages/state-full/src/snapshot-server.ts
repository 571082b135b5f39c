import type { EndpointContext } from '@sf/core/plugin';
import { decodeRequest, encodeReply } from '@sf/core/plugin';
import { bindSocket, CLOSE_LINGER_MS, closeSocket, type SocketAddress } from '@sf/zmq-base';
import { Router } from 'zeromq';

/**
 * The snapshot side of a `full_update_out`: a Router socket on the `replyer` address that answers
 * every request (`{"args": {}}`) with `{"return_args": <latest value or {}>, "workflow_id": <that
 * value's workflow id>}`. Router, not Reply, so a peer that never reads its reply cannot block it;
 * replies go back as `[routing envelope…, reply]`, which plain REQ peers expect.
 */
export class SnapshotServer {
  readonly #context: EndpointContext;
  readonly #address: SocketAddress;
  #socket: Router | undefined;
  #latest: Uint8Array | undefined;
  #reply: Uint8Array | undefined;
  #closing: Promise<void> | undefined;

  constructor(context: EndpointContext, address: SocketAddress) {
    this.#context = context;
    this.#address = address;
  }

  /** Binds the replyer and starts answering. */
  async open(): Promise<void> {
    if (this.#socket || this.#closing) return;
    const socket = new Router();
    await bindSocket(socket, this.#address, this.#context);
    this.#socket = socket;
    void this.#serve(socket);
  }

  /** Remembers the request frame of the latest publication; later snapshots answer with its value. */
  keep(frame: Uint8Array): void {
    this.#latest = frame;
    this.#reply = undefined;
  }

  /** Stops answering and closes the socket; safe twice. */
  close(): Promise<void> {
    this.#closing ??= this.#socket ? closeSocket(this.#socket, CLOSE_LINGER_MS) : Promise.resolve();
    return this.#closing;
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
        if (!socket.closed) logger.error({ err: error, address: this.#address.path }, 'snapshot replyer failed to answer');
      }
    }
  }

  #answer(body: Uint8Array): Uint8Array {
    try {
      decodeRequest(body);
    } catch (error) {
      this.#context.logger.warn({ err: error, address: this.#address.path }, 'snapshot replyer got a frame that is not a request');
      const message = error instanceof Error ? error.message : String(error);
      return encodeReply({ return_args: null, workflow_id: null, error: { type: 'DecodeError', message } });
    }
    this.#reply ??= this.#encodeLatest();
    return this.#reply;
  }

  #encodeLatest(): Uint8Array {
    if (this.#latest === undefined) return encodeReply({ return_args: {}, workflow_id: null });
    const { args, workflow_id } = decodeRequest(this.#latest);
    return encodeReply({ return_args: args, workflow_id });
  }
}
