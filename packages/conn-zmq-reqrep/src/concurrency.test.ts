import { RequestTimeoutError, ValidationError } from '@sf/core';
import type { Endpoint } from '@sf/core/plugin';
import { freePort, outbound, sleep, testContext } from '@sf/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { Reply, Router } from 'zeromq';
import { MAX_CONCURRENCY } from './concurrency.js';
import { replyer } from './replyer.js';
import { requester } from './requester.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function openRequester(port: number, creation: Record<string, unknown>): Promise<Endpoint> {
  const endpoint = await requester.create(
    testContext({ name: 'ask', side: 'out', addresses: { requester: `127.0.0.1:${port}` }, creation }),
  );
  cleanups.push(() => endpoint.close());
  await endpoint.open();
  return endpoint;
}

/** A replyer whose runner holds each request until the test releases it by body; `started` lists bodies as they arrive. */
async function openHeldReplyer(port: number, creation: Record<string, unknown> = {}) {
  const started: string[] = [];
  const releases = new Map<string, () => void>();
  const endpoint = await replyer.create(
    testContext({
      addresses: { replyer: `127.0.0.1:${port}` },
      creation: { on_new_request: () => ({}), ...creation },
      receive: (frame) => {
        const body = Buffer.from(frame).toString();
        started.push(body);
        return new Promise((resolve) => releases.set(body, () => resolve(Buffer.from(`re: ${body}`))));
      },
    }),
  );
  cleanups.push(() => endpoint.close());
  await endpoint.open();
  return { started, release: (body: string) => releases.get(body)?.() };
}

const text = (reply: unknown): string => Buffer.from(reply as Uint8Array).toString();

describe('replyer concurrency', () => {
  it('handles up to `concurrency` requests at once and answers each caller with its own reply, in any order', async () => {
    const port = await freePort();
    const held = await openHeldReplyer(port, { concurrency: 3 });
    const endpoint = await openRequester(port, { concurrency: 5 });
    const calls = ['a', 'b', 'c', 'd', 'e'].map((body) => endpoint.send?.(outbound(body)).then(text));
    await expect.poll(() => held.started.length).toBe(3);
    await sleep(50);
    expect(held.started.length).toBe(3);
    for (const body of [...held.started].reverse()) held.release(body);
    await expect.poll(() => held.started.length).toBe(5);
    for (const body of held.started.slice(3)) held.release(body);
    expect(await Promise.all(calls)).toEqual(['re: a', 're: b', 're: c', 're: d', 're: e']);
  });

  it('refuses a concurrency that is not a whole number from 1 to MAX_CONCURRENCY', () => {
    for (const concurrency of [0, 1.5, MAX_CONCURRENCY + 1]) {
      const context = testContext({ addresses: { replyer: '127.0.0.1:1' }, creation: { on_new_request: () => ({}), concurrency } });
      expect(() => replyer.create(context)).toThrow(ValidationError);
      expect(() => replyer.create(context)).toThrow('Creation argument concurrency is out of range');
    }
  });
});

describe('requester concurrency', () => {
  it('by default sends one request at a time, in the order asked', async () => {
    const port = await freePort();
    const held = await openHeldReplyer(port, { concurrency: 4 });
    const endpoint = await openRequester(port, {});
    const calls = ['a', 'b', 'c'].map((body) => endpoint.send?.(outbound(body)).then(text));
    for (const body of ['a', 'b', 'c']) {
      await expect.poll(() => held.started.at(-1)).toBe(body);
      await sleep(30);
      expect(held.started.length).toBe(['a', 'b', 'c'].indexOf(body) + 1);
      held.release(body);
    }
    expect(await Promise.all(calls)).toEqual(['re: a', 're: b', 're: c']);
  });

  it('keeps up to `concurrency` calls in flight with a plain ZeroMQ Reply peer, each matched to its reply', async () => {
    const port = await freePort();
    const server = new Reply({ linger: 0 });
    cleanups.push(() => server.close());
    await server.bind(`tcp://127.0.0.1:${port}`);
    const endpoint = await openRequester(port, { concurrency: 4 });
    const bodies = Array.from({ length: 12 }, (_, n) => `q${n}`);
    const calls = bodies.map((body) => endpoint.send?.(outbound(body)).then(text));
    for (let n = 0; n < bodies.length; n++) {
      const [request] = await server.receive();
      await server.send(`re: ${request}`);
    }
    expect(await Promise.all(calls)).toEqual(bodies.map((body) => `re: ${body}`));
  });

  it('matches replies that come back in another order than the requests went out (a plain ROUTER peer)', async () => {
    const port = await freePort();
    const server = new Router({ linger: 0 });
    cleanups.push(() => server.close());
    await server.bind(`tcp://127.0.0.1:${port}`);
    const endpoint = await openRequester(port, { concurrency: 3 });
    const calls = ['x', 'y', 'z'].map((body) => endpoint.send?.(outbound(body)).then(text));
    const requests: Buffer[][] = [];
    for (let n = 0; n < 3; n++) requests.push(await server.receive());
    for (const [id, delimiter, body] of requests.reverse()) await server.send([id!, delimiter!, Buffer.from(`re: ${body}`)]);
    expect(await Promise.all(calls)).toEqual(['re: x', 're: y', 're: z']);
  });

  it('times out one call in flight without disturbing the others, and its socket works again afterwards', async () => {
    const port = await freePort();
    const held = await openHeldReplyer(port, { concurrency: 4 });
    const endpoint = await openRequester(port, { concurrency: 2, timeout_ms: 300 });
    const slow = endpoint.send?.(outbound('slow'));
    const slowFailed = expect(slow).rejects.toBeInstanceOf(RequestTimeoutError);
    await expect.poll(() => held.started).toEqual(['slow']);
    const quick = endpoint.send?.(outbound('quick'));
    await expect.poll(() => held.started).toEqual(['slow', 'quick']);
    held.release('quick');
    expect(text(await quick)).toBe('re: quick');
    await slowFailed;
    const next = ['n1', 'n2'].map((body) => endpoint.send?.(outbound(body)).then(text));
    await expect.poll(() => held.started.length).toBe(4);
    held.release('n1');
    held.release('n2');
    expect(await Promise.all(next)).toEqual(['re: n1', 're: n2']);
    // The reply to the timed-out call goes nowhere: its socket was closed.
    held.release('slow');
    await sleep(50);
  });

  it('rejects calls still waiting for a socket when closed', async () => {
    const port = await freePort();
    await openHeldReplyer(port);
    const endpoint = await requester.create(
      testContext({ name: 'ask', side: 'out', addresses: { requester: `127.0.0.1:${port}` }, creation: { concurrency: 1 } }),
    );
    await endpoint.open();
    const first = endpoint.send?.(outbound('first'));
    const waiting = endpoint.send?.(outbound('waiting'));
    const rejected = Promise.all([
      expect(first).rejects.toMatchObject({ code: 'SF_CONNECTION_CLOSED' }),
      expect(waiting).rejects.toMatchObject({ code: 'SF_CONNECTION_CLOSED', message: expect.stringContaining('waited to be sent') }),
    ]);
    await sleep(50);
    await endpoint.close();
    await rejected;
  });
});
