// Request/reply and publish/subscribe over a real three-node nats-server cluster on loopback.
import { RequestTimeoutError, TransportError, ValidationError } from '@sf/core';
import type { Endpoint } from '@sf/core/plugin';
import { freePort, outbound, testContext } from '@sf/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SERVERS, serverList } from './connection.js';
import { natsPublisher, natsSubscriber } from './publisher.js';
import { natsReplyer } from './replyer.js';
import { natsRequester } from './requester.js';
import { type NatsCluster, natsAvailability, startNatsCluster } from './testing.js';

const nats = natsAvailability();
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function open(endpoint: Endpoint): Promise<Endpoint> {
  cleanups.push(() => endpoint.close());
  await endpoint.open();
  return endpoint;
}

const text = (frame: unknown): string => Buffer.from(frame as Uint8Array).toString();

/** A replyer replica on `server` that answers `<replica>: <body>` and counts what it handled. */
async function replica(name: string, server: string, handled: string[], creation: Record<string, unknown> = {}) {
  return open(
    await natsReplyer.create(
      testContext({
        addresses: {},
        name: 'echo',
        creation: { on_new_request: () => ({}), servers: server, ...creation },
        receive: async (frame) => {
          handled.push(text(frame));
          return Buffer.from(`${name}: ${text(frame)}`);
        },
      }),
    ),
  );
}

const requester = async (servers: string, creation: Record<string, unknown> = {}) =>
  open(await natsRequester.create(testContext({ addresses: {}, name: 'echo', side: 'out', creation: { servers, ...creation } })));

describe.skipIf(!nats.binary)(`NATS connections on a three-node cluster${nats.skip}`, () => {
  let cluster: NatsCluster;
  beforeAll(async () => {
    cluster = await startNatsCluster(nats.binary!, 3);
  }, 90_000);
  afterAll(() => cluster?.stop());

  it('spreads requests over three replyer replicas (one per server, one queue group); every caller gets its own answer', async () => {
    const handled: string[][] = [[], [], []];
    for (let n = 0; n < 3; n++) await replica(`r${n}`, cluster.nodes[n]!.url, handled[n]!);
    const ask = await requester(cluster.nodes[0]!.url);
    const bodies = Array.from({ length: 90 }, (_, n) => `q${n}`);
    const replies = await Promise.all(bodies.map((body) => ask.send!(outbound(body)).then(text)));
    expect(replies.map((reply) => reply.split(': ')[1])).toEqual(bodies);
    // Each request went to exactly one replica, and each replica took a share.
    expect(handled.flat().sort()).toEqual([...bodies].sort());
    for (const share of handled) expect(share.length).toBeGreaterThan(0);
  });

  it('keeps answering while a server is killed mid-load: idempotent requests are retried, none is lost', async () => {
    const handled: string[][] = [[], [], []];
    for (let n = 0; n < 3; n++) await replica(`r${n}`, cluster.nodes[n]!.url, handled[n]!, { concurrency: 4 });
    const ask = await requester(cluster.servers, { timeout_ms: 1500, retries: 5, retry_backoff_ms: 100, idempotent: true });
    const bodies = Array.from({ length: 200 }, (_, n) => `k${n}`);
    const replies: string[] = [];
    const load = (async () => {
      for (let n = 0; n < bodies.length; n += 10) {
        replies.push(...(await Promise.all(bodies.slice(n, n + 10).map((body) => ask.send!(outbound(body)).then(text)))));
      }
    })();
    await expect.poll(() => replies.length, { timeout: 30_000 }).toBeGreaterThan(40);
    await cluster.kill(2);
    await load;
    await cluster.restart(2);
    expect(replies.map((reply) => reply.split(': ')[1])).toEqual(bodies);
  }, 90_000);

  it('waits for a replyer that starts late, and times out naming the subject when none comes', async () => {
    const ask = await requester(cluster.nodes[1]!.url, { timeout_ms: 8000, subject_prefix: 'late' });
    const call = ask.send!(outbound('early'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await replica('late', cluster.nodes[2]!.url, [], { subject_prefix: 'late' });
    expect(text(await call)).toBe('late: early');

    const nobody = await requester(cluster.nodes[0]!.url, { timeout_ms: 300, subject: 'nobody.here' });
    const failed = nobody.send!(outbound('x'));
    await expect(failed).rejects.toBeInstanceOf(RequestTimeoutError);
    await expect(failed).rejects.toThrow('No reply on NATS subject nobody.here within 300 ms (no replyer is subscribed to it)');
  });

  it('keeps at most `concurrency` calls of a requester in flight, the others waiting in order', async () => {
    const started: string[] = [];
    const releases = new Map<string, () => void>();
    await open(
      await natsReplyer.create(
        testContext({
          addresses: {},
          name: 'held',
          creation: { on_new_request: () => ({}), servers: cluster.nodes[1]!.url, concurrency: 8 },
          receive: (frame) => {
            started.push(text(frame));
            return new Promise((resolve) => releases.set(text(frame), () => resolve(frame)));
          },
        }),
      ),
    );
    const ask = await open(
      await natsRequester.create(
        testContext({ addresses: {}, name: 'held', side: 'out', creation: { servers: cluster.nodes[0]!.url, concurrency: 2 } }),
      ),
    );
    const calls = ['a', 'b', 'c', 'd'].map((body) => ask.send!(outbound(body)).then(text));
    await expect.poll(() => started).toEqual(['a', 'b']);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(started).toEqual(['a', 'b']);
    releases.get('b')!();
    await expect.poll(() => started).toEqual(['a', 'b', 'c']);
    for (const body of ['a', 'c']) releases.get(body)!();
    await expect.poll(() => started).toEqual(['a', 'b', 'c', 'd']);
    releases.get('d')!();
    expect(await Promise.all(calls)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('publishes to every subscriber: a topic is a subject token, a subscriber without topic gets them all', async () => {
    const got: Record<string, string[]> = { eur: [], all: [], usd: [] };
    const subscriber = async (key: string, topic?: string) =>
      open(
        await natsSubscriber.create(
          testContext({
            addresses: {},
            name: 'prices',
            creation: { on_new_message: () => undefined, servers: cluster.nodes[2]!.url, ...(topic && { topic }) },
            receive: async (frame) => {
              got[key]!.push(text(frame));
              return undefined;
            },
          }),
        ),
      );
    await subscriber('eur', 'eur');
    await subscriber('all');
    await subscriber('usd', 'usd');
    const publish = async (topic: string) =>
      open(
        await natsPublisher.create(
          testContext({ addresses: {}, name: 'prices', side: 'out', creation: { servers: cluster.nodes[0]!.url, topic } }),
        ),
      );
    const eur = await publish('eur');
    const usd = await publish('usd');
    for (let n = 0; n < 50; n++) await eur.send!(outbound(`e${n}`));
    await usd.send!(outbound('u0'));
    const inOrder = Array.from({ length: 50 }, (_, n) => `e${n}`);
    await expect.poll(() => got.all!.length).toBe(51);
    await expect.poll(() => got.eur).toEqual(inOrder);
    expect(got.all!.filter((body) => body.startsWith('e'))).toEqual(inOrder);
    expect(got.usd).toEqual(['u0']);
  });
});

describe('NATS connection settings', () => {
  it('fails to start with SF_CONNECT_FAILED naming the servers when none can be reached', async () => {
    const port = await freePort();
    const endpoint = await natsRequester.create(
      testContext({ addresses: {}, name: 'echo', side: 'out', creation: { servers: `nats://127.0.0.1:${port}`, connect_timeout_ms: 500 } }),
    );
    cleanups.push(() => endpoint.close());
    const opening = endpoint.open();
    await expect(opening).rejects.toBeInstanceOf(TransportError);
    await expect(opening).rejects.toMatchObject({
      code: 'SF_CONNECT_FAILED',
      message: expect.stringContaining(`nats://127.0.0.1:${port}`),
    });
  });

  it('takes the servers from the servers argument, else the nats address (host:port), else the local default', () => {
    const servers = (addresses: Record<string, string>, creation: Record<string, unknown> = {}) =>
      serverList(testContext({ addresses, creation }));
    expect(servers({}, { servers: 'nats://a:1, nats://b:2' })).toEqual(['nats://a:1', 'nats://b:2']);
    expect(servers({ nats: '10.0.0.1:4222' }, { servers: 'nats://a:1' })).toEqual(['nats://a:1']);
    expect(servers({ nats: '10.0.0.1:4222' })).toEqual(['nats://10.0.0.1:4222']);
    expect(servers({ nats: 'tcp://10.0.0.1:4222' })).toEqual(['nats://10.0.0.1:4222']);
    expect(servers({})).toEqual([DEFAULT_SERVERS]);
    expect(() => servers({}, { servers: ' , ' })).toThrow('No NATS server');
  });

  it('refuses a bad subject, topic or retry setting at creation, naming the argument', () => {
    const make = (creation: Record<string, unknown>) => () =>
      natsRequester.create(testContext({ addresses: {}, name: 'echo', side: 'out', creation }));
    expect(make({ subject: 'two words' })).toThrow(ValidationError);
    expect(make({ subject: 'a..b' })).toThrow('subject is not a valid NATS subject');
    expect(make({ retries: 2 })).toThrow('needs idempotent: true');
    expect(() => natsPublisher.create(testContext({ addresses: {}, name: 'p', side: 'out', creation: { topic: 'a.*' } }))).toThrow(
      'topic is not a valid NATS subject',
    );
  });
});
