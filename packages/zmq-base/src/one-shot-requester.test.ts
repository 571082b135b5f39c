import { RequestTimeoutError, TransportError } from '@sf/core';
import { freePort, sleep, testContext } from '@sf/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { Reply } from 'zeromq';
import { socketAddress } from './address.js';
import { OneShotRequester } from './one-shot-requester.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function requesterTo(port: number, timeoutMs: number): OneShotRequester {
  const context = testContext({ name: 'book', side: 'in', addresses: { requester: `127.0.0.1:${port}` } });
  const requester = new OneShotRequester(context, socketAddress(context, 'requester', 'connect'), {
    what: 'snapshot',
    timeoutMs,
    timeoutHint: 'Start the out side',
  });
  cleanups.push(() => requester.close());
  return requester;
}

/** A REP socket on `port` that answers `reply(request)` after `delayMs`; its `received` lists the requests. */
async function replier(port: number, reply: (request: string) => string, delayMs = 0): Promise<{ received: string[] }> {
  const socket = new Reply({ linger: 0 });
  cleanups.push(() => socket.close());
  await socket.bind(`tcp://127.0.0.1:${port}`);
  const received: string[] = [];
  void (async () => {
    for await (const [frame] of socket) {
      received.push(String(frame));
      if (delayMs > 0) await sleep(delayMs);
      await socket.send(reply(String(frame)));
    }
  })().catch(() => {});
  return { received };
}

describe('OneShotRequester', () => {
  it('sends each request and resolves to its reply, one after the other', async () => {
    const port = await freePort();
    const peer = await replier(port, (request) => `re: ${request}`);
    const requester = requesterTo(port, 2000);
    expect(String(await requester.request(Buffer.from('one')))).toBe('re: one');
    expect(String(await requester.request(Buffer.from('two')))).toBe('re: two');
    expect(peer.received).toEqual(['one', 'two']);
  });

  it('rejects with RequestTimeoutError naming the address and the fix, and the next request still gets its own reply', async () => {
    const port = await freePort();
    // Answers the first request after 400 ms, too late for a 100 ms timeout; later ones at once.
    let first = true;
    const socket = new Reply({ linger: 0 });
    cleanups.push(() => socket.close());
    await socket.bind(`tcp://127.0.0.1:${port}`);
    void (async () => {
      for await (const [frame] of socket) {
        if (first) await sleep(400);
        first = false;
        await socket.send(`re: ${String(frame)}`);
      }
    })().catch(() => {});
    const requester = requesterTo(port, 100);
    const error = await requester.request(Buffer.from('slow')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect((error as RequestTimeoutError).message).toContain(`No snapshot from tcp://127.0.0.1:${port}`);
    expect((error as RequestTimeoutError).message).toContain('within 100 ms');
    expect((error as RequestTimeoutError).message).toContain('Start the out side');
    await sleep(500);
    // A fresh socket: the late reply to "slow" is not taken for this one's.
    expect(String(await requester.request(Buffer.from('next')))).toBe('re: next');
  });

  it('ends every pending request with SF_CONNECTION_CLOSED on close, and refuses requests after it', async () => {
    const port = await freePort();
    await replier(port, (request) => request, 5000);
    const requester = requesterTo(port, 10_000);
    const pending = [requester.request(Buffer.from('first')), requester.request(Buffer.from('second'))].map((request) =>
      request.catch((e: unknown) => e),
    );
    await sleep(100);
    requester.close();
    for (const error of await Promise.all(pending)) {
      expect(error).toBeInstanceOf(TransportError);
      expect((error as TransportError).code).toBe('SF_CONNECTION_CLOSED');
    }
    await expect(requester.request(Buffer.from('after'))).rejects.toMatchObject({ code: 'SF_CONNECTION_CLOSED' });
  });
});
