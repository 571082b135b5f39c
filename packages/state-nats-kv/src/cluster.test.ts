// A state on a JetStream KV bucket with 3 replicas, on a real three-node nats-server cluster.
import { Decimal, mapOf, ValidationError } from '@sf/core';
import type { Endpoint, OutboundMessage } from '@sf/core/plugin';
import { Outbound, stateCheck, testContext, type TestContext } from '@sf/core/testing';
import { type NatsCluster, natsAvailability, startNatsCluster } from '@sf/conn-nats/testing';
import { connect } from '@nats-io/transport-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { natsKvIn } from './kv-in.js';
import { natsKvOut } from './kv-out.js';

const nats = natsAvailability();
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const update = (state: Record<string, unknown>, isSnapshot = false, workflowId: string | null = null): OutboundMessage =>
  new Outbound({ state, is_snapshot: isSnapshot }, workflowId);

async function opened<T extends Endpoint>(endpoint: T): Promise<T> {
  cleanups.push(() => endpoint.close());
  await endpoint.open();
  return endpoint;
}

const levels = { optional: mapOf(Decimal, Decimal) };
const counters = { optional: mapOf(String, Number) };

describe.skipIf(!nats.binary)(`nats_kv state on a three-node cluster${nats.skip}`, () => {
  let cluster: NatsCluster;
  beforeAll(async () => {
    cluster = await startNatsCluster(nats.binary!, 3);
  }, 90_000);
  afterAll(() => cluster?.stop());

  const writer = async (bucket: string, servers: string, models: typeof counters | typeof levels = counters) =>
    opened(
      await natsKvOut.create(
        testContext({
          addresses: {},
          name: 'book',
          side: 'out',
          kind: 'state',
          check: stateCheck(models),
          creation: { bucket, replicas: 3, servers },
        }),
      ),
    );
  const reader = async (
    bucket: string,
    servers: string,
    models: typeof counters | typeof levels = counters,
  ): Promise<{ context: TestContext; latest: () => Record<string, unknown> }> => {
    const context = testContext({
      addresses: {},
      name: 'book',
      kind: 'state',
      check: stateCheck(models, 'state_models.in.book'),
      creation: { bucket, servers },
    });
    await opened(await natsKvIn.create(context));
    return { context, latest: () => context.updates.at(-1)?.value ?? {} };
  };

  it('readers on other servers follow deltas, deletes and snapshots; a late joiner starts from the current value', async () => {
    const out = await writer('follow', cluster.nodes[0]!.url);
    const early = await reader('follow', cluster.nodes[1]!.url);
    await out.send!(update({ a: 1, b: 2, 'two words': 3 }, true, 'w-1'));
    await out.send!(update({ b: 20, c: 30 }, false, 'w-2'));
    await expect.poll(early.latest).toEqual({ a: 1, b: 20, c: 30, 'two words': 3 });
    expect(early.context.updates.at(-1)!.workflowId).toBe('w-2');
    await out.send!(update({ a: null }, false, 'w-3'));
    await expect.poll(early.latest).toEqual({ b: 20, c: 30, 'two words': 3 });
    await out.send!(update({ x: 1, c: 31 }, true, 'w-4'));
    await expect.poll(early.latest).toEqual({ x: 1, c: 31 });

    const late = await reader('follow', cluster.nodes[2]!.url);
    await expect.poll(late.latest).toEqual({ x: 1, c: 31 });
    // Loaded at once: one update for the whole current value, not one per key.
    expect(late.context.updates).toHaveLength(1);
  });

  it('keeps a dynamic-key state (top-level mapOf(Decimal, Decimal)) keyed by price level, and refuses a bad level before writing it', async () => {
    const out = await writer('levels', cluster.nodes[2]!.url, levels);
    await out.send!(update({ '50000.00': new Decimal(1), '50000.50': new Decimal('2.5') }, true));
    await out.send!(update({ '50000.00': null, '49999.50': new Decimal(3) }));
    await expect(out.send!(update({ 'not a price': new Decimal(1) }))).rejects.toBeInstanceOf(ValidationError);
    const late = await reader('levels', cluster.nodes[0]!.url, levels);
    await expect.poll(() => Object.keys(late.latest()).sort()).toEqual(['49999.50', '50000.50']);
    expect((late.latest()['50000.50'] as Decimal).toString()).toBe('2.5');
  });

  it('loses no acknowledged update when the bucket leader is killed mid-load; readers converge', async () => {
    const out = await writer('durable', cluster.servers);
    const before = await reader('durable', cluster.servers);
    const acknowledged = new Map<string, number>();
    let failed = 0;
    const load = (async () => {
      for (let n = 0; n < 400; n++) {
        const key = `k${n % 25}`;
        try {
          await out.send!(update({ [key]: n }));
          acknowledged.set(key, n);
        } catch {
          failed += 1;
        }
      }
    })();
    await expect.poll(() => acknowledged.size, { timeout: 30_000 }).toBe(25);
    const leader = await bucketLeader(cluster.servers, 'durable');
    const index = cluster.nodes.findIndex((node) => node.name === leader);
    expect(index).toBeGreaterThanOrEqual(0);
    await cluster.kill(index);
    await load;
    const expected = Object.fromEntries(acknowledged);
    expect(Object.keys(expected)).toHaveLength(25);
    // Writes are retried across the leader election: at most a few are given up on.
    expect(failed).toBeLessThan(5);
    await expect.poll(before.latest, { timeout: 30_000 }).toEqual(expected);
    const late = await reader(
      'durable',
      cluster.nodes
        .filter((_, n) => n !== index)
        .map((node) => node.url)
        .join(','),
    );
    await expect.poll(late.latest, { timeout: 30_000 }).toEqual(expected);
    await cluster.restart(index);
  }, 120_000);
});

/** The server name of the stream leader of KV bucket `bucket`. */
async function bucketLeader(servers: string, bucket: string): Promise<string> {
  const connection = await connect({ servers: servers.split(',') });
  try {
    const reply = await connection.request(`$JS.API.STREAM.INFO.KV_${bucket}`, undefined, { timeout: 5000 });
    return (JSON.parse(new TextDecoder().decode(reply.data)) as { cluster: { leader: string } }).cluster.leader;
  } finally {
    await connection.close();
  }
}
