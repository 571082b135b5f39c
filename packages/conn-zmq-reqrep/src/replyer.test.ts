import type { Endpoint } from '@sf/core/plugin';
import { afterEach, describe, expect, it } from 'vitest';
import { Request } from 'zeromq';
import { freePort, listen, type TestContextOptions, testContext } from '@sf/core/testing';
import { replyer } from './replyer.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function openReplyer(options: Omit<TestContextOptions, 'addresses'> & { address: string }): Promise<Endpoint> {
  const context = testContext({ creation: { on_new_request: () => ({}) }, ...options, addresses: { replyer: options.address } });
  const endpoint = await replyer.create(context);
  cleanups.push(() => endpoint.close());
  await endpoint.open();
  return endpoint;
}

function requestSocket(port: number): Request {
  const socket = new Request({ linger: 0 });
  socket.connect(`tcp://127.0.0.1:${port}`);
  cleanups.push(() => socket.close());
  return socket;
}

describe('replyer', () => {
  it('answers a plain ZeroMQ REQ peer with the reply the runner returns', async () => {
    const port = await freePort();
    const seen: string[] = [];
    await openReplyer({
      address: `127.0.0.1:${port}`,
      receive: async (frame) => {
        seen.push(Buffer.from(frame).toString());
        return Buffer.from(`reply to ${Buffer.from(frame).toString()}`);
      },
    });
    const client = requestSocket(port);
    await client.send('ping');
    const reply = await client.receive();
    expect(reply.map((part) => part.toString())).toEqual(['reply to ping']);
    await client.send('again');
    expect((await client.receive())[0]?.toString()).toBe('reply to again');
    expect(seen).toEqual(['ping', 'again']);
  });

  it('keeps serving after the runner gives no reply or throws, logging each', async () => {
    const port = await freePort();
    let calls = 0;
    const context = testContext({
      creation: { on_new_request: () => ({}) },
      addresses: { replyer: `127.0.0.1:${port}` },
      receive: async () => {
        calls += 1;
        if (calls === 1) return undefined;
        if (calls === 2) throw new Error('runner broke its promise');
        return Buffer.from('fine');
      },
    });
    const endpoint = await replyer.create(context);
    cleanups.push(() => endpoint.close());
    await endpoint.open();
    for (const _ of [1, 2]) {
      const lost = requestSocket(port);
      await lost.send('x');
    }
    await expect.poll(() => calls).toBe(2);
    const client = requestSocket(port);
    await client.send('y');
    expect((await client.receive())[0]?.toString()).toBe('fine');
    expect(context.logs.filter((line) => line.level === 'error')).toHaveLength(2);
  });

  it('fails to open on an address in use, naming the model and the address', async () => {
    const port = await freePort();
    const holder = await listen(port);
    cleanups.push(() => new Promise((resolve) => holder.close(resolve)));
    const endpoint = await replyer.create(
      testContext({ name: 'get_price', addresses: { replyer: `127.0.0.1:${port}` }, creation: { on_new_request: () => ({}) } }),
    );
    cleanups.push(() => endpoint.close());
    const failure = endpoint.open();
    await expect(failure).rejects.toMatchObject({ code: 'SF_BIND_FAILED' });
    await expect(failure).rejects.toThrow(`tcp://127.0.0.1:${port}`);
    await expect(failure).rejects.toThrow('connections.in.get_price.replyer');
    await expect(failure).rejects.toThrow('address already in use');
    await expect(failure).rejects.toThrow('connection_models.in.get_price');
  });

  it('closes twice without error, and frees its port', async () => {
    const port = await freePort();
    const endpoint = await openReplyer({ address: `127.0.0.1:${port}` });
    await endpoint.close();
    await endpoint.close();
    const again = await openReplyer({ address: `127.0.0.1:${port}` });
    await again.close();
  });

  it('stops taking requests when paused, while the one being handled still gets its reply', async () => {
    const port = await freePort();
    const seen: string[] = [];
    let release: (() => void) | undefined;
    const endpoint = await openReplyer({
      address: `127.0.0.1:${port}`,
      receive: (frame) => {
        seen.push(Buffer.from(frame).toString());
        return new Promise((resolve) => {
          release = () => resolve(Buffer.from('answered'));
        });
      },
    });
    const first = requestSocket(port);
    await first.send('first');
    await expect.poll(() => release).toBeDefined();
    await endpoint.pause?.();
    release?.();
    expect((await first.receive())[0]?.toString()).toBe('answered');
    const second = requestSocket(port);
    await second.send('second');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen).toEqual(['first']);
  });
});
