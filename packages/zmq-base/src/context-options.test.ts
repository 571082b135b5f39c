import { testContext } from '@sf/core/testing';
import { expect, it } from 'vitest';
import { context, Dealer } from 'zeromq';
import { closeSocket } from './close.js';
import { createSocket } from './create-socket.js';

/** ZMQ_ZERO_COPY_RECV, read back through zeromq.js's own getter. */
const zeroCopyReceive = (): boolean => (context as unknown as { getBoolOption(option: number): boolean }).getBoolOption(10);

it('turns libzmq zero-copy receiving off for the process once a socket is created', async () => {
  const socket = createSocket(Dealer, testContext({ addresses: {} }), 'connect', 'dealer');
  try {
    expect(zeroCopyReceive()).toBe(false);
  } finally {
    await closeSocket(socket, 0);
  }
});
