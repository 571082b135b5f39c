import { RequestTimeoutError, SfError, ValidationError } from '@sf/core';
import type { Endpoint } from '@sf/core/plugin';
import { afterEach, describe, expect, it } from 'vitest';
import { Reply, Request } from 'zeromq';
import { freePort, outbound, testContext } from '@sf/core/testing';
import { replyer } from './replyer.js';
import { DEFAULT_TIMEOUT_MS, requester } from './requester.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function openRequester(address: string, creation: Record<string, unknown> = {}): Promise<Endpoint> {
  const endpoint = await requester.create(testContext({ name: 'ask', side: 'out', addresses: { requester: address }, creation }));
  cleanups.push(() => endpoint.close());
  await endpoint.open();
  return endpoint;
}

async function openEchoReplyer(port: number): Promise<Endpoint> {
  const endpoint = await replyer.create(
    testContext({
      addresses: { replyer: `127.0.0.1:${port}` },
      creation: { on_new_request: () => ({}) },
      receive: async (frame) => Buffer.concat([Buffer.from('echo '), frame]),
    }),
  );
  cleanups.push(() => endpoint.close());
  await endpoint.open();
  return endpoint;
}

const text = (reply: unknown): string => Buffer.from(reply as Uint8Array).toString();

describe('requester', () => {
  it('round-trips with a replyer', async () => {
    const port = await freePort();
    await openEchoReplyer(port);
    const endpoint = await openRequester(`127.0.0.1:${port}`);
    expect(text(await endpoint.send?.(outbound('hello')))).toBe('echo hello');
  });

  it('is answered by a plain ZeroMQ REP peer', async () => {
    const port = await freePort();
    const server = new Reply({ linger: 0 });
    cleanups.push(() => server.close());
    await server.bind(`tcp://127.0.0.1:${port}`);
    const endpoint = await openRequester(`tcp://127.0.0.1:${port}`);
    const pending = endpoint.send?.(outbound('question'));
    const request = await server.receive();
    expect(request.map(String)).toEqual(['question']);
    await server.send('answer');
    expect(text(await pending)).toBe('answer');
  });

  it('serialises concurrent sends and matches each reply to its request', async () => {
    const port = await freePort();
    await openEchoReplyer(port);
    const endpoint = await openRequester(`127.0.0.1:${port}`);
    const replies = await Promise.all(['a', 'b', 'c', 'd'].map((body) => endpoint.send?.(outbound(body))));
    expect(replies.map(text)).toEqual(['echo a', 'echo b', 'echo c', 'echo d']);
  });

  // Timeouts leave room for ZeroMQ's 100 ms reconnect interval once the replyer starts.
  it('rejects with RequestTimeoutError when nobody answers, then works once the replyer starts', async () => {
    const port = await freePort();
    const endpoint = await openRequester(`127.0.0.1:${port}`, { timeout_ms: 400 });
    const started = Date.now();
    const failure = endpoint.send?.(outbound('anyone?'));
    await expect(failure).rejects.toBeInstanceOf(RequestTimeoutError);
    await expect(failure).rejects.toBeInstanceOf(SfError);
    await expect(failure).rejects.toMatchObject({ code: 'SF_REQUEST_TIMEOUT', timeoutMs: 400 });
    await expect(failure).rejects.toThrow(`tcp://127.0.0.1:${port}`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);

    await openEchoReplyer(port);
    const reply = await endpoint.send?.(outbound('back?'));
    expect(text(reply)).toBe('echo back?');
  });

  it('does not deliver a timed-out request to the replyer once it starts', async () => {
    const port = await freePort();
    const endpoint = await openRequester(`127.0.0.1:${port}`, { timeout_ms: 400 });
    await expect(endpoint.send?.(outbound('stale'))).rejects.toBeInstanceOf(RequestTimeoutError);
    const seen: string[] = [];
    const server = await replyer.create(
      testContext({
        addresses: { replyer: `127.0.0.1:${port}` },
        creation: { on_new_request: () => ({}) },
        receive: async (frame) => {
          seen.push(text(frame));
          return Buffer.from('ok');
        },
      }),
    );
    cleanups.push(() => server.close());
    await server.open();
    expect(text(await endpoint.send?.(outbound('fresh')))).toBe('ok');
    expect(seen).toEqual(['fresh']);
  });

  it('keeps a reply that lands just as the deadline closes the socket, and leaves a fresh socket in the slot', async () => {
    const port = await freePort();
    await openEchoReplyer(port);
    const endpoint = await openRequester(`127.0.0.1:${port}`, { timeout_ms: 100 });
    expect(text(await endpoint.send?.(outbound('warm-up')))).toBe('echo warm-up');
    // Force the race: the reply has arrived, but its receive() settles only once the deadline has closed the socket.
    // (zeromq's receive is read-only on its Socket class: shadow it on Request only, for this test.)
    const receive = Request.prototype.receive;
    let held = 0;
    Object.defineProperty(Request.prototype, 'receive', {
      configurable: true,
      value: async function (this: Request) {
        const reply = await receive.call(this);
        if (held++ === 0) while (!this.closed) await new Promise((resolve) => setTimeout(resolve, 5));
        return reply;
      },
    });
    cleanups.push(() => delete (Request.prototype as { receive?: unknown }).receive);
    expect(text(await endpoint.send?.(outbound('late')))).toBe('echo late');
    expect(held).toBe(1);
    // The next request goes out on a new socket; the closed one left in the slot would fail it at once.
    expect(text(await endpoint.send?.(outbound('after')))).toBe('echo after');
    expect(text(await endpoint.send?.(outbound('again')))).toBe('echo again');
  });

  it('rejects a pending request when closed, and closes twice without error', async () => {
    const port = await freePort();
    const endpoint = await openRequester(`127.0.0.1:${port}`);
    const pending = endpoint.send?.(outbound('never answered'));
    // Handled before close() rejects it: send() returns the call's own promise, which nothing else awaits.
    const rejected = expect(pending).rejects.toMatchObject({ code: 'SF_CONNECTION_CLOSED' });
    await endpoint.close();
    await endpoint.close();
    await rejected;
    await expect(endpoint.send?.(outbound('late'))).rejects.toMatchObject({ code: 'SF_CONNECTION_CLOSED' });
  });

  it('defaults timeout_ms to 5000 and refuses a timeout that is not positive', async () => {
    expect(DEFAULT_TIMEOUT_MS).toBe(5000);
    const context = testContext({ side: 'out', addresses: { requester: '127.0.0.1:1' }, creation: { timeout_ms: 0 } });
    expect(() => requester.create(context)).toThrow(ValidationError);
    expect(() => requester.create(context)).toThrow('optional_creation_arguments.timeout_ms');
  });
});
