import { RequestTimeoutError } from '../errors.js';
import type { Endpoint, EndpointContext, Handled, OutboundMessage, ReplyObject } from '../plugin/contract.js';
import { isPromiseLike } from '../util/is-promise-like.js';
import type { EndpointStats } from './endpoint-stats.js';

type Receive = EndpointContext['receive'];
type Update = EndpointContext['update'];
type Handle = NonNullable<EndpointContext['handle']>;

/**
 * An in-connection's `receive` that also counts: message and bytes in, calls in flight, handler
 * duration, reply and bytes out. Installed only when metrics are on.
 */
export function countedReceive(receive: Receive, stats: EndpointStats): Receive {
  const done = (started: number, reply: Uint8Array | undefined): Uint8Array | undefined => {
    stats.finished(started);
    if (reply !== undefined) {
      stats.messagesOut += 1;
      stats.bytesOut += reply.byteLength;
    }
    return reply;
  };
  return (frame) => {
    stats.messagesIn += 1;
    stats.bytesIn += frame.byteLength;
    stats.inflight += 1;
    const started = performance.now();
    const result = receive(frame);
    return isPromiseLike(result) ? result.then((reply) => done(started, reply)) : done(started, result);
  };
}

/** An in-connection's `handle` that also counts: message in, calls in flight, handler duration, reply out (no bytes: it has no frames). */
export function countedHandle(handle: Handle, stats: EndpointStats): Handle {
  const done = (started: number, handled: Handled): Handled => {
    stats.finished(started);
    stats.messagesOut += 1;
    return handled;
  };
  return (args, workflowId) => {
    stats.messagesIn += 1;
    stats.inflight += 1;
    const started = performance.now();
    const result = handle(args, workflowId);
    return isPromiseLike(result) ? result.then((handled) => done(started, handled)) : done(started, result);
  };
}

/** An in-state's `update` that counts the values applied and marks the state ready (it holds one). */
export function countedUpdate(update: Update, stats: EndpointStats): Update {
  return (value, workflowId, trace) => {
    stats.updates += 1;
    stats.ready = true;
    return update(value, workflowId, trace);
  };
}

/** A message whose frame's size is counted as bytes out when the transport takes it. */
class SizedMessage implements OutboundMessage {
  readonly #message: OutboundMessage;
  readonly #stats: EndpointStats;

  constructor(message: OutboundMessage, stats: EndpointStats) {
    this.#message = message;
    this.#stats = stats;
  }

  get args(): Readonly<Record<string, unknown>> {
    return this.#message.args;
  }

  get workflowId(): string | null {
    return this.#message.workflowId;
  }

  get trace(): string | undefined {
    return this.#message.trace;
  }

  frame(prefix?: Uint8Array): Uint8Array {
    const frame = this.#message.frame(prefix);
    this.#stats.bytesOut += frame.byteLength;
    return frame;
  }
}

/**
 * An out endpoint whose `send` counts: messages and bytes out; for types that reply, calls in
 * flight, replies and their bytes, and timeouts. Only `to_send` calls it; open/close stay the
 * wrapped endpoint's.
 */
export function countingEndpoint(endpoint: Endpoint, stats: EndpointStats, replies: boolean): Endpoint {
  const send = endpoint.send!.bind(endpoint);
  const settled = (reply: Uint8Array | ReplyObject | undefined): Uint8Array | ReplyObject | undefined => {
    stats.inflight -= 1;
    if (reply instanceof Uint8Array) {
      stats.messagesIn += 1;
      stats.bytesIn += reply.byteLength;
    }
    return reply;
  };
  const failed = (error: unknown): never => {
    stats.inflight -= 1;
    if (error instanceof RequestTimeoutError) stats.timeouts += 1;
    throw error;
  };
  return {
    open: () => endpoint.open(),
    close: () => endpoint.close(),
    send: (message) => {
      stats.messagesOut += 1;
      if (!replies) return send(new SizedMessage(message, stats));
      stats.inflight += 1;
      let sent: ReturnType<typeof send>;
      try {
        sent = send(new SizedMessage(message, stats));
      } catch (error) {
        return Promise.reject(error).catch(failed);
      }
      return sent.then(settled, failed);
    },
  };
}
