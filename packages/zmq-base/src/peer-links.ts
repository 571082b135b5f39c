import type { EndpointContext } from '@sf/core/plugin';
import type { Socket } from 'zeromq';
import type { SocketAddress } from './address.js';

/**
 * With metrics on, reports a long-lived connecting socket's links to its peers to its endpoint's
 * stats, so `/readyz` says which peer is not connected yet (e.g. on a host not up). Free when off.
 */
export function watchPeerLinks(socket: Socket, address: SocketAddress, context: EndpointContext): void {
  const stats = context.stats;
  if (stats === undefined) return;
  const links = stats.connecting(address.path, address.endpoints);
  const live = new Set<string>();
  socket.events.on('handshake', ({ address: endpoint }) => {
    if (live.has(endpoint)) return;
    live.add(endpoint);
    links.up();
  });
  socket.events.on('disconnect', ({ address: endpoint }) => {
    if (live.delete(endpoint)) links.down();
  });
  socket.events.on('end', () => {
    for (const _ of live) links.down();
    live.clear();
  });
}
