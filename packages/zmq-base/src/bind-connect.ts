import { TransportError } from '@sf/core';
import type { EndpointContext } from '@sf/core/plugin';
import type { Socket } from 'zeromq';
import type { SocketAddress } from './address.js';
import { socketReady } from './create-socket.js';

/**
 * Binds `socket` (a CURVE server once the ZAP handler is up); on failure closes it and throws a
 * TransportError (`SF_BIND_FAILED`) naming the model and address.
 */
export async function bindSocket(socket: Socket, address: SocketAddress, context: EndpointContext): Promise<void> {
  try {
    await socketReady(socket);
  } catch (error) {
    socket.close();
    throw error;
  }
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

/**
 * Connects `socket` (ZeroMQ connects in the background and reconnects by itself); on failure
 * closes it and throws a TransportError (`SF_CONNECT_FAILED`) naming the model and address.
 */
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

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
