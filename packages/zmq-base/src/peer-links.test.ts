import { EndpointStats } from '@sf/core';
import { freePort, testContext } from '@sf/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { Reply, Request } from 'zeromq';
import { bindSocket, connectSocket } from './bind-connect.js';
import { closeSocket } from './close.js';
import { createSocket } from './create-socket.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A requester with metrics on, connected to the replicas at `ports` (none of them up yet). */
function requester(ports: number[]): EndpointStats {
  const addresses = ports.map((port) => `127.0.0.1:${port}`);
  const stats = new EndpointStats({ model: 'connection_models.out.ask', type: 'requester', side: 'out', kind: 'connection' });
  const context = { ...testContext({ name: 'ask', side: 'out', addresses: { requester: addresses } }), stats };
  const socket = createSocket(Request, context, 'connect', 'requester');
  cleanups.push(() => closeSocket(socket, 0));
  const endpoints = addresses.map((address) => `tcp://${address}`);
  connectSocket(socket, { path: 'connections.out.ask.requester', endpoint: endpoints[0]!, endpoints }, context);
  return stats;
}

/** A replyer bound at `port`; resolves to a function that closes it. */
async function replyer(port: number): Promise<() => Promise<void>> {
  const context = testContext({ name: 'answer', addresses: { replyer: `127.0.0.1:${port}` } });
  const socket = createSocket(Reply, context, 'bind', 'replyer');
  const endpoint = `tcp://127.0.0.1:${port}`;
  await bindSocket(socket, { path: 'connections.in.answer.replyer', endpoint, endpoints: [endpoint] }, context);
  const close = () => closeSocket(socket, 0);
  cleanups.push(close);
  return close;
}

describe('peer links (readiness of a connecting socket)', () => {
  it('waits while no peer is up, is linked once one is, and waits again when the last one goes', async () => {
    const [a, b] = [await freePort(), await freePort()];
    const stats = requester([a, b]);
    expect(stats.peersWaiting()).toEqual([
      `connections.out.ask.requester (requester) is not connected to tcp://127.0.0.1:${a}, tcp://127.0.0.1:${b} yet; ` +
        'ZeroMQ connects when the peer comes up',
    ]);
    const closeB = await replyer(b);
    await expect.poll(() => stats.peersWaiting(), { timeout: 5000 }).toEqual([]);
    const closeA = await replyer(a);
    await closeB();
    // Still linked to a.
    await expect.poll(() => stats.peersWaiting(), { timeout: 5000, interval: 100 }).toEqual([]);
    await closeA();
    await expect.poll(() => stats.peersWaiting().length, { timeout: 5000 }).toBe(1);
  });
});
