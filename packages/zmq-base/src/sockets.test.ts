import { freePort, listen, testContext } from '@sf/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { Publisher, Pull, Push } from 'zeromq';
import { socketAddress } from './address.js';
import { bindSocket, connectSocket } from './bind-connect.js';
import { closedError, closeSocket, settleWithin } from './close.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('bindSocket, connectSocket and closeSocket', () => {
  it('bind and connect real sockets that then carry a message', async () => {
    const port = await freePort();
    const context = testContext({ name: 'jobs', addresses: { pull: `127.0.0.1:${port}`, push: `127.0.0.1:${port}` } });
    const pull = new Pull();
    const push = new Push();
    cleanups.push(
      () => closeSocket(push, 0),
      () => closeSocket(pull, 0),
    );
    await bindSocket(pull, socketAddress(context, 'pull', 'bind'), context);
    connectSocket(push, socketAddress(context, 'push', 'connect'), context);
    await push.send('hello');
    const [frame] = await pull.receive();
    expect(frame?.toString()).toBe('hello');
  });

  it('report a port in use as SF_BIND_FAILED naming model and address, and close the socket', async () => {
    const port = await freePort();
    const holder = await listen(port);
    cleanups.push(() => new Promise((resolve) => holder.close(resolve)));
    const context = testContext({ name: 'prices', kind: 'state', side: 'out', addresses: { publisher: `127.0.0.1:${port}` } });
    const socket = new Publisher();
    await expect(bindSocket(socket, socketAddress(context, 'publisher', 'bind'), context)).rejects.toThrow(
      expect.objectContaining({
        code: 'SF_BIND_FAILED',
        what: `Cannot bind tcp://127.0.0.1:${port} (states.out.prices.publisher): address already in use`,
        location: expect.objectContaining({ model: 'state_models.out.prices' }),
      }),
    );
    expect(socket.closed).toBe(true);
  });

  it('report a connect the socket refuses as SF_CONNECT_FAILED and close the socket', () => {
    const context = testContext({ name: 'ticks', addresses: {} });
    const socket = new Push();
    const address = { path: 'connections.in.ticks.subscriber', endpoint: 'tcp://', endpoints: ['tcp://'] };
    expect(() => connectSocket(socket, address, context)).toThrow(
      expect.objectContaining({ code: 'SF_CONNECT_FAILED', message: expect.stringContaining('(connections.in.ticks.subscriber)') }),
    );
    expect(socket.closed).toBe(true);
  });

  it('free a bound port by the time closeSocket resolves, and ignore a second close', async () => {
    const port = await freePort();
    const context = testContext({ addresses: { pull: `127.0.0.1:${port}` } });
    for (let round = 0; round < 5; round++) {
      const socket = new Pull();
      await bindSocket(socket, socketAddress(context, 'pull', 'bind'), context);
      await closeSocket(socket, 0);
      await closeSocket(socket, 0);
      expect(socket.closed).toBe(true);
    }
  });

  it('closedError names the address path and the model', () => {
    const context = testContext({ name: 'ask', side: 'out', addresses: {} });
    const error = closedError(
      context,
      { path: 'connections.out.ask.requester', endpoint: 'tcp://h:1', endpoints: ['tcp://h:1'] },
      'The requester is not open',
    );
    expect(error).toMatchObject({
      code: 'SF_CONNECTION_CLOSED',
      message: expect.stringContaining('The requester is not open (connections.out.ask.requester)'),
    });
    expect(error.location.model).toBe('connection_models.out.ask');
  });
});

describe('settleWithin', () => {
  it('resolves when the promise settles, rejected or not, and never later than the bound', async () => {
    await expect(settleWithin(Promise.reject(new Error('x')), 1000)).resolves.toBeUndefined();
    const started = Date.now();
    await settleWithin(new Promise(() => {}), 50);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
