import type { Endpoint, EndpointContext, TypeDefinition } from '@sf/core/plugin';
import { Router } from 'zeromq';
import {
  bindSocket,
  CLOSE_LINGER_MS,
  closeSocket,
  closedError,
  type SocketAddress,
  settleWithin,
  socketAddress,
} from '@sf/zmq-base';

/** How long `close()` waits for the request being handled to be answered before closing anyway. */
export const REPLY_GRACE_MS = 1000;

/**
 * The `replyer` type: binds and answers each request with the runner's reply, in arrival order.
 * A Router socket rather than Reply, so a later version can answer requests concurrently; every
 * message is `[routing envelope…, body]` and the reply goes back as `[envelope…, reply]`, which is
 * what a plain REQ peer (or one behind a ROUTER/DEALER proxy) expects.
 */
export const replyer: TypeDefinition = {
  side: 'in',
  kind: 'connection',
  peers: ['requester'],
  addresses: ['replyer'],
  handler: 'on_new_request',
  replies: true,
  creationArguments: { required: { on_new_request: Function } },
  description: 'Answers requests from requesters (any ZeroMQ REQ peer) one at a time, in arrival order.',
  create: (context) => new ReplyerEndpoint(context),
};

class ReplyerEndpoint implements Endpoint {
  readonly #context: EndpointContext;
  readonly #address: SocketAddress;
  #socket: Router | undefined;
  #busy: Promise<void> | undefined;
  #stopping = false;
  #closing: Promise<void> | undefined;

  constructor(context: EndpointContext) {
    this.#context = context;
    this.#address = socketAddress(context, 'replyer', 'bind');
  }

  async open(): Promise<void> {
    if (this.#closing) throw closedError(this.#context, this.#address, 'Cannot open a replyer after close');
    if (this.#socket) return;
    const socket = new Router();
    await bindSocket(socket, this.#address, this.#context);
    this.#socket = socket;
    void this.#serve(socket);
  }

  async pause(): Promise<void> {
    this.#stopping = true;
  }

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
    while (!this.#stopping) {
      let frames: Buffer[];
      try {
        frames = await socket.receive();
      } catch (error) {
        if (!socket.closed) this.#context.logger.error({ err: error }, 'replyer stopped receiving: socket error');
        return;
      }
      if (this.#stopping) {
        this.#context.logger.warn('replyer is stopping: a request that arrived meanwhile was not handled');
        return;
      }
      this.#busy = this.#answer(socket, frames);
      await this.#busy;
      this.#busy = undefined;
    }
  }

  async #answer(socket: Router, frames: Buffer[]): Promise<void> {
    const logger = this.#context.logger;
    const body = frames.at(-1);
    if (frames.length < 2 || body === undefined) {
      logger.warn({ frames: frames.length }, 'replyer dropped a message without a routing envelope');
      return;
    }
    try {
      const reply = await this.#context.receive(body);
      if (reply === undefined) {
        logger.error('replyer got no reply from the runner; the requester will not be answered');
      } else if (socket.closed) {
        logger.warn('replyer closed before its reply was ready; the reply was dropped');
      } else {
        await socket.send([...frames.slice(0, -1), reply]);
      }
    } catch (error) {
      logger.error({ err: error }, 'replyer failed to answer a request');
    }
  }
}
