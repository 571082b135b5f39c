// Same helpers in @sf/conn-zmq-reqrep and @sf/conn-zmq-pubsub: core has no transport dependency to host them.
import { ConfigError, TransportError, ValidationError } from '@sf/core';
import { type EndpointContext, parseAddress } from '@sf/core/plugin';
import type { Socket } from 'zeromq';

/** Linger for sockets that may hold unsent publications at close: enough to flush, bounded so shutdown ends. */
export const CLOSE_LINGER_MS = 1000;

/** One socket of one endpoint: its name in the addresses file and the ZeroMQ endpoint it uses. */
export interface SocketAddress {
  /** Where the address sits in the addresses file, e.g. `connections.in.get_price.replyer`. */
  readonly path: string;
  /** The ZeroMQ endpoint to bind or connect, e.g. `tcp://*:5555`. */
  readonly endpoint: string;
}

/** Looks up socket `name` of the endpoint in its addresses and resolves it for binding or connecting. */
export function socketAddress(
  context: EndpointContext,
  side: 'in' | 'out',
  name: string,
  mode: 'bind' | 'connect',
): SocketAddress {
  const path = `connections.${side}.${context.name}.${name}`;
  const raw = context.addresses[name];
  if (raw === undefined) {
    throw new ConfigError('SF_ADDRESSES_INVALID', `No address for socket "${name}" at ${path}`, {
      service: context.service,
      model: context.modelPath,
      hint: `Add "${name}": "host:port" under ${path.slice(0, path.lastIndexOf('.'))} in the addresses file`,
    });
  }
  return { path, endpoint: parseAddress(raw, mode, { service: context.service, model: context.modelPath }) };
}

/** Binds `socket`; on failure closes it and throws a TransportError naming the model and address. */
export async function bindSocket(socket: Socket, address: SocketAddress, context: EndpointContext): Promise<void> {
  try {
    await socket.bind(address.endpoint);
  } catch (error) {
    socket.close();
    const inUse = (error as { code?: unknown }).code === 'EADDRINUSE';
    throw new TransportError(
      'SF_BIND_FAILED',
      `Cannot bind ${address.endpoint} (${address.path}): ${inUse ? 'address already in use' : errorText(error)}`,
      {
        service: context.service,
        model: context.modelPath,
        hint: inUse
          ? 'Stop the process that holds this port, or give this socket another port in the addresses file'
          : 'Check the address in the addresses file',
        cause: error,
      },
    );
  }
}

/** Connects `socket`; on failure closes it and throws a TransportError naming the model and address. */
export function connectSocket(socket: Socket, address: SocketAddress, context: EndpointContext): void {
  try {
    socket.connect(address.endpoint);
  } catch (error) {
    socket.close();
    throw new TransportError('SF_CONNECT_FAILED', `Cannot connect to ${address.endpoint} (${address.path}): ${errorText(error)}`, {
      service: context.service,
      model: context.modelPath,
      hint: 'Check the address in the addresses file (host:port or a tcp://, ipc:// or inproc:// endpoint)',
      cause: error,
    });
  }
}

/** Reads a numeric creation argument, applying its default and rejecting values below `min` (or equal, if `exclusive`). */
export function numberArgument(
  context: EndpointContext,
  name: string,
  fallback: number,
  min: number,
  exclusive: boolean,
): number {
  const value = context.creation[name] ?? fallback;
  const ok = typeof value === 'number' && Number.isFinite(value) && (exclusive ? value > min : value >= min);
  if (!ok) {
    throw new ValidationError(
      `Creation argument ${name} is out of range`,
      { expected: `a finite number ${exclusive ? '>' : '>='} ${min}`, received: String(value) },
      { service: context.service, model: context.modelPath, argument: `optional_creation_arguments.${name}` },
    );
  }
  return value;
}

/** How long `closeSocket` waits beyond the linger for ZeroMQ to release a socket. */
const RELEASE_WAIT_MS = 1000;

/**
 * Closes `socket` with `linger` ms and resolves once ZeroMQ has released it (so a bound port is
 * free again), or after `linger` + 1 s at the latest.
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

function noop(): void {}

/** The error for using an endpoint outside `open()` … `close()`. */
export function closedError(context: EndpointContext, address: SocketAddress, what: string, cause?: unknown): TransportError {
  return new TransportError('SF_CONNECTION_CLOSED', `${what} (${address.path})`, {
    service: context.service,
    model: context.modelPath,
    hint: 'Use a connection only between open() and close()',
    cause,
  });
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
