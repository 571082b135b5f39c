import { TransportError } from '@sf/core';
import type { EndpointContext } from '@sf/core/plugin';
import type { Socket } from 'zeromq';
import type { SocketAddress } from './address.js';
import { noop } from './noop.js';

/** Linger for sockets that may hold unsent messages at close: enough to flush, bounded so shutdown ends. */
export const CLOSE_LINGER_MS = 1000;

/** How long `closeSocket` waits beyond the linger for ZeroMQ to release a socket. */
const RELEASE_WAIT_MS = 1000;

/**
 * Closes `socket` with `linger` ms and resolves once ZeroMQ has released it (so a bound port is
 * free again), or after `linger` + 1 s at the latest. Does nothing for a closed socket.
 */
export async function closeSocket(socket: Socket, linger: number): Promise<void> {
  if (socket.closed) return;
  const events = socket.events;
  const released = new Promise<void>((resolve) => events.on('end', () => resolve()));
  socket.linger = linger;
  socket.close();
  await settleWithin(released, linger + RELEASE_WAIT_MS);
}

/** Resolves when `promise` settles or `ms` have passed, whichever is first; never rejects. */
export async function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([promise.then(noop, noop), expired]);
  clearTimeout(timer);
}

/** The error (`SF_CONNECTION_CLOSED`) for using an endpoint outside `open()` … `close()`. */
export function closedError(context: EndpointContext, address: SocketAddress, what: string, cause?: unknown): TransportError {
  return new TransportError('SF_CONNECTION_CLOSED', `${what} (${address.path})`, {
    service: context.service,
    model: context.modelPath,
    hint: 'Use an endpoint only between open() and close()',
    cause,
  });
}
