import { TransportError } from '@sf/core';
import { type EndpointContext, isLocalEndpoint } from '@sf/core/plugin';
import type { Socket } from 'zeromq';
import type { SocketAddress } from './address.js';
import { socketReady, socketSettings } from './create-socket.js';
import { watchPeerLinks } from './peer-links.js';

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
  allowIpv6(socket, address.endpoint);
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
  if (!isLocalEndpoint(address.endpoint) && socketSettings(context).curve === undefined) {
    context.logger.warn(
      { address: address.path, endpoint: address.endpoint },
      `${address.path} listens on ${address.endpoint}, reachable from the network, without CURVE: ` +
        'anyone who reaches this host can call, subscribe or read state. Bind 127.0.0.1 for a local service, or set curve',
    );
  }
}

/**
 * Connects `socket` to every endpoint of `address` (ZeroMQ connects in the background and
 * reconnects by itself); on failure closes it and throws a TransportError (`SF_CONNECT_FAILED`)
 * naming the model and address. With several endpoints (the replicas of a peer) the socket queues
 * messages only on completed connections (ZMQ_IMMEDIATE), so a replica that is down or cut off is
 * skipped instead of holding the messages sent its way. A long-lived socket (not `oneShot`)
 * reports its links to its peers to the endpoint's stats when metrics are on (`/readyz`).
 */
export function connectSocket(socket: Socket, address: SocketAddress, context: EndpointContext, { oneShot = false } = {}): void {
  try {
    if (address.endpoints.length > 1) socket.immediate = true;
    if (!oneShot) watchPeerLinks(socket, address, context);
    for (const endpoint of address.endpoints) {
      allowIpv6(socket, endpoint);
      socket.connect(endpoint);
    }
  } catch (error) {
    socket.close();
    throw new TransportError(
      'SF_CONNECT_FAILED',
      `Cannot connect to ${address.endpoints.join(', ')} (${address.path}): ${errorText(error)}`,
      {
        service: context.service,
        model: context.modelPath,
        hint: 'Check the address in the addresses file (host:port or a tcp://, ipc:// or inproc:// endpoint)',
        cause: error,
      },
    );
  }
}

/** libzmq binds or connects an IPv6 address such as `[::1]` only on a socket with IPv6 on. */
function allowIpv6(socket: Socket, endpoint: string): void {
  if (endpoint.startsWith('tcp://[')) socket.ipv6 = true;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
