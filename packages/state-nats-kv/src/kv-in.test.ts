// What nats_kv_in hands its handlers, on one real nats-server with JetStream: values that read as
// plain objects and never change, one per write in order, and a 100,000-key state followed write by write.
import { mapOf } from '@sf/core';
import { decodeValue, encodeValue, isStateView, STATE_PLAIN_MAX } from '@sf/core/plugin';
import { Outbound, stateCheck, testContext } from '@sf/core/testing';
import { type NatsCluster, natsAvailability, startNatsCluster } from '@sf/conn-nats/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { natsKvIn } from './kv-in.js';
import { natsKvOut } from './kv-out.js';

const nats = natsAvailability();
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type State = Record<string, unknown>;
const update = (state: State, isSnapshot = false) => new Outbound({ state, is_snapshot: isSnapshot }, null);
const numbered = (n: number, from = 0): State => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${from + i}`, i]));

describe.skipIf(!nats.binary)(`nats_kv_in values${nats.skip}`, () => {
  let server: NatsCluster;
  beforeAll(async () => {
    server = await startNatsCluster(nats.binary!, 1);
  }, 90_000);
  afterAll(() => server?.stop());

  /** A writer and a reader of bucket `bucket`; the reader records every value it is handed. */
  const pair = async (bucket: string) => {
    const servers = server.nodes[0]!.url;
    const out = await natsKvOut.create(
      testContext({ addresses: {}, name: 'book', side: 'out', kind: 'state', creation: { bucket, servers } }),
    );
    cleanups.push(() => out.close());
    await out.open();
    const context = testContext({ addresses: {}, name: 'book', kind: 'state', creation: { bucket, servers } });
    const reader = await natsKvIn.create(context);
    cleanups.push(() => reader.close());
    await reader.open();
    const handed = () => context.updates.map((entry) => entry.value as State);
    return { send: (state: State, isSnapshot = false) => out.send!(update(state, isSnapshot)), handed };
  };

  for (const [label, size] of [
    ['a small state (frozen plain copies)', 3],
    ['a state over STATE_PLAIN_MAX keys (views)', STATE_PLAIN_MAX + 5],
  ] as const) {
    it(`on ${label}: a value a handler kept is unchanged after later writes, deletes and snapshots`, async () => {
      const { send, handed } = await pair(`kept_${size}`);
      const nested = { levels: [1, 2], meta: { venue: 'X' } };
      await send({ ...numbered(size), deep: nested }, true);
      // The snapshot's keys may come as more than one update (each a value the writer wrote): keep the whole one.
      await expect.poll(() => Object.keys(handed().at(-1) ?? {}).length).toBe(size + 1);
      const start = handed().length - 1;
      const kept = handed()[start]!;
      const json = JSON.stringify(kept);
      expect(isStateView(kept)).toBe(size > STATE_PLAIN_MAX);
      await send({ k0: 100 });
      await send({ k1: null, deep: { levels: [9], meta: { venue: 'Y' } } });
      await send({ added: true });
      await send({ k2: 7, only: 1 }, true);
      await expect.poll(() => handed().at(-1)).toEqual({ k2: 7, only: 1 });
      expect(JSON.stringify(kept)).toBe(json);
      expect(kept.k0).toBe(0);
      expect('k1' in kept).toBe(true);
      expect(kept.added).toBeUndefined();
      expect(kept.deep).toEqual({ levels: [1, 2], meta: { venue: 'X' } });
      // Each write's value in order: writes that arrive together may be handed out as one.
      const values = handed().slice(start);
      const stage = (value: State) => ('only' in value ? 4 : value.added ? 3 : !('k1' in value) ? 2 : value.k0 === 100 ? 1 : 0);
      const stages = values.map(stage);
      expect(stages).toEqual([...stages].sort());
      expect(stages.at(-1)).toBe(4);
      // Read like a plain object, cannot be changed, and encode as the plain value they stand for.
      const third = values.find((value) => stage(value) === 3) ?? {};
      const expected: State = { ...numbered(size), k0: 100, deep: { levels: [9], meta: { venue: 'Y' } }, added: true };
      delete expected.k1;
      expect(Object.keys(third)).toEqual(Object.keys(expected));
      expect({ ...third }).toEqual(expected);
      expect(() => {
        (kept as State).k0 = 5;
      }).toThrow(TypeError);
      expect(decodeValue(encodeValue({ book: kept }))).toEqual({ book: JSON.parse(json) });
    });
  }

  it('on a 100,000-key state, follows 5,000 one-key writes; the value kept at the start stays as it was', async () => {
    const [keys, count] = [100_000, 5_000];
    const servers = server.nodes[0]!.url;
    const models = { optional: mapOf(String, Number) };
    const out = await natsKvOut.create(
      testContext({
        addresses: {},
        name: 'big',
        side: 'out',
        kind: 'state',
        check: stateCheck(models),
        creation: { bucket: 'big', servers },
      }),
    );
    cleanups.push(() => out.close());
    await out.open();
    await out.send!(update(numbered(keys), true));
    const context = testContext({
      addresses: {},
      name: 'big',
      kind: 'state',
      check: stateCheck(models, 'state_models.in.big'),
      creation: { bucket: 'big', servers },
    });
    let first: State | undefined;
    let last: State | undefined;
    let seen = 0;
    // Keeps the first whole value and the latest only (recording all would hold every view).
    context.update = (value) => {
      if (first === undefined && Object.keys(value).length === keys) first = value;
      last = value;
      seen += 1;
    };
    const reader = await natsKvIn.create(context);
    cleanups.push(() => reader.close());
    await reader.open();
    await expect.poll(() => first !== undefined, { timeout: 60_000 }).toBe(true);
    for (let i = 0; i < count; i += 1) await out.send!(update({ [`k${i % keys}`]: 1_000_000 + i }));
    // Before, the reader copied the whole state per write: about 150 ms each at this size.
    await expect.poll(() => last?.[`k${count - 1}`], { timeout: 120_000 }).toBe(1_000_000 + count - 1);
    expect(seen).toBeGreaterThan(1);
    const [final, kept] = [last!, first!];
    // The first key whose value is not `expected(i)` (-1: the key count is wrong), or undefined.
    const wrong = (value: State, expected: (i: number) => number) =>
      Object.keys(value).length !== keys ? -1 : Array.from({ length: keys }, (_, i) => i).find((i) => value[`k${i}`] !== expected(i));
    expect(wrong(final, (i) => (i < count ? 1_000_000 + i : i))).toBeUndefined();
    expect(wrong(kept, (i) => i)).toBeUndefined();
  }, 300_000);
});
