import { Decimal, UUID, ValidationError } from '@sf/core';
import { sleep } from '@sf/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { applyDelta, type StateValue } from './apply-delta.js';
import { cleanups, inAddresses, message, type Opened, openIn, openOut, outAddresses, runCleanups, until } from './endpoints.fixture.js';
import { SNAPSHOT_RETRY_MS } from './delta-in.js';
import { FakeOut } from './fake-out.fixture.js';

afterEach(runCleanups);

async function fakeOut(topic?: string): Promise<FakeOut> {
  const out = await FakeOut.start(topic);
  cleanups.push(() => out.close());
  return out;
}

const values = (opened: Opened) => opened.context.updates.map((update) => update.value);
const last = (opened: Opened) => opened.context.updates.at(-1)?.value;

/** Sends deltas through a real out endpoint and remembers the state after each number. */
class History {
  readonly states: StateValue[] = [{}];
  constructor(readonly out: Opened) {}

  async send(state: StateValue, isSnapshot = false): Promise<void> {
    this.states.push(isSnapshot ? { ...state } : applyDelta(this.states.at(-1)!, state));
    await this.out.endpoint.send!(message({ state, is_snapshot: isSnapshot }));
  }

  /** Every value the in side saw was a state of this history, in order. */
  expectSeen(seen: StateValue[]): void {
    let at = 0;
    for (const value of seen) {
      const found = this.states.findIndex((state, num) => num >= at && JSON.stringify(state) === JSON.stringify(value));
      expect(found, `in side saw ${JSON.stringify(value)}, a state the out side never had (after num ${at})`).toBeGreaterThanOrEqual(0);
      at = found;
    }
  }
}

describe('delta_update_in against a scripted out side', () => {
  it('starts from the snapshot and applies deltas numbered after it, in order', async () => {
    const out = await fakeOut();
    out.snapshot = { state: { a: 1 }, num: 7 };
    const sub = await openIn(out.addresses);
    await out.subscribed();
    expect(values(sub)).toEqual([{ a: 1 }]);
    await out.publish(7, { stale: true });
    await out.publish(8, { b: 2 }, false, 'wf-8');
    await out.publish(9, { a: null });
    await until(() => sub.context.updates.length === 3);
    expect(values(sub)).toEqual([{ a: 1 }, { a: 1, b: 2 }, { b: 2 }]);
    expect(sub.context.updates[1]!.workflowId).toBe('wf-8');
  });

  it("holds the out side's empty state at number 0 without calling update, and applies delta 1 on it", async () => {
    const out = await fakeOut();
    out.snapshot = { state: {}, num: 0 };
    const sub = await openIn(out.addresses);
    await out.subscribed();
    await sleep(50);
    expect(out.requests).toBe(1);
    expect(sub.context.updates).toEqual([]);
    await out.publish(1, { a: 1 }, false, 'wf-1');
    await until(() => sub.context.updates.length === 1);
    expect(sub.context.updates).toEqual([{ value: { a: 1 }, workflowId: 'wf-1' }]);
  });

  it('exposes a state numbered 0 that holds keys at once (Python 0.0.3 numbers every snapshot 0)', async () => {
    const out = await fakeOut();
    out.snapshot = { state: { base: true }, num: 0 };
    const sub = await openIn(out.addresses);
    await out.subscribed();
    await until(() => sub.context.updates.length === 1);
    expect(sub.context.updates).toEqual([{ value: { base: true }, workflowId: null }]);
  });

  it('on a gap (a lost update) fetches a fresh snapshot and resumes after it', async () => {
    const out = await fakeOut();
    const sub = await openIn(out.addresses);
    await out.subscribed();
    await out.publish(1, { a: 1 });
    await until(() => sub.context.updates.length === 1);
    const asked = out.requests;
    out.snapshot = { state: { a: 1, b: 2, c: 3 }, num: 3 };
    await out.publish(3, { c: 3 });
    // The next update once the snapshot was asked for: a real out side answers with its number then.
    await until(() => out.requests === asked + 1);
    await out.publish(4, { d: 4 });
    await until(() => sub.context.updates.length === 3);
    expect(out.requests).toBe(asked + 1);
    expect(values(sub)).toEqual([{ a: 1 }, { a: 1, b: 2, c: 3 }, { a: 1, b: 2, c: 3, d: 4 }]);
    expect(sub.context.logs.some((line) => line.msg === 'delta state: resyncing')).toBe(true);
  });

  it('after publications stop, asks once for a snapshot: updates lost at the end of a burst leave no gap to see', async () => {
    const out = await fakeOut();
    const sub = await openIn(out.addresses, { creation: { tail_check_ms: 100 } });
    await out.subscribed();
    await out.publish(1, { a: 1 });
    await until(() => sub.context.updates.length === 1);
    // Updates 2 and 3 were "lost": nothing published shows it.
    out.snapshot = { state: { a: 1, b: 2, c: 3 }, num: 3 };
    await until(() => sub.context.updates.length === 2);
    expect(last(sub)).toEqual({ a: 1, b: 2, c: 3 });
    // Once per quiet spell: no more requests while nothing arrives.
    const asked = out.requests;
    await sleep(400);
    expect(out.requests).toBe(asked);
    expect(sub.context.logs.some((line) => line.level === 'info' && line.msg === 'delta state: resyncing')).toBe(false);
  });

  it("ignores updates the snapshot already holds; numbers falling back make it take the restarted out side's snapshot", async () => {
    const out = await fakeOut();
    out.snapshot = { state: { n: 3 }, num: 3 };
    const sub = await openIn(out.addresses);
    await out.subscribed();
    for (const num of [2, 3, 4]) await out.publish(num, { n: num });
    await until(() => sub.context.updates.length === 2);
    await sleep(50);
    expect(values(sub)).toEqual([{ n: 3 }, { n: 4 }]);
    const asked = out.requests;
    out.snapshot = { state: { restarted: true, n: 2 }, num: 2 };
    await out.publish(1, { restarted: true });
    await out.publish(2, { n: 2 });
    await until(() => sub.context.updates.length === 3);
    await sleep(50);
    // The new run's updates are never applied to the old run's state: its snapshot is taken instead.
    expect(values(sub)).toEqual([{ n: 3 }, { n: 4 }, { restarted: true, n: 2 }]);
    expect(out.requests).toBe(asked + 1);
    await out.publish(3, { n: 3 });
    await until(() => sub.context.updates.length === 4);
    expect(last(sub)).toEqual({ restarted: true, n: 3 });
  });

  it('drops an update that fails the state model, logs it and resyncs', async () => {
    const out = await fakeOut();
    const check = (value: unknown) =>
      typeof (value as StateValue).price === 'string'
        ? new ValidationError('state.price', { expected: 'a Number', received: 'a string' })
        : undefined;
    const sub = await openIn(out.addresses, { check });
    await out.subscribed();
    await out.publish(1, { price: 'cheap' });
    out.snapshot = { state: { price: 3 }, num: 2 };
    await out.publish(2, { price: 3 });
    await until(() => sub.context.updates.length === 1);
    expect(values(sub)).toEqual([{ price: 3 }]);
    expect(sub.context.logs.find((line) => line.msg === 'delta state: an update failed the state model; resyncing')?.level).toBe('warn');
    expect(sub.context.rejects.map((reject) => reject.reason)).toEqual(['bad_state']);
  });

  it('survives an undecodable message and a message that is not a delta update', async () => {
    const out = await fakeOut();
    const sub = await openIn(out.addresses);
    await out.subscribed();
    await out.publishRaw(Buffer.from([0xc1, 0x00]));
    await out.publishRaw(Buffer.from([0x81, 0xa4, ...Buffer.from('args'), 0x80]));
    out.snapshot = { state: { ok: true }, num: 5 };
    await until(() => JSON.stringify(last(sub)) === JSON.stringify({ ok: true }));
    await out.publish(6, { more: 1 });
    await until(() => JSON.stringify(last(sub)) === JSON.stringify({ ok: true, more: 1 }));
    expect(sub.context.logs.filter((line) => line.msg === 'delta state: undecodable update; resyncing')).toHaveLength(2);
    // Each bad message reported once (the runner logs and counts it), with the error and address.
    expect(sub.context.rejects.map((reject) => reject.reason)).toEqual(['undecodable', 'undecodable']);
    expect(sub.context.rejects[0]?.details).toMatchObject({ address: 'states.in.book.subscriber' });
  });

  it('opens without hanging when nobody answers, and syncs once the out side answers', async () => {
    const out = await fakeOut();
    out.snapshot = undefined;
    const started = Date.now();
    const sub = await openIn(out.addresses, { creation: { snapshot_timeout_ms: 200 } });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(sub.context.updates).toEqual([]);
    expect(
      sub.context.logs.some((line) => line.msg === 'delta state: no snapshot yet (is the out side up?); asking again in the background'),
    ).toBe(true);
    out.snapshot = { state: { late: true }, num: 4 };
    await until(() => sub.context.updates.length === 1, 4000);
    expect(values(sub)).toEqual([{ late: true }]);
  });

  it('asks for a snapshot at once when it holds N and a lone N+2 arrives (no tail check needed)', async () => {
    const out = await fakeOut();
    const sub = await openIn(out.addresses, { creation: { tail_check_ms: 60_000 } });
    await out.subscribed();
    await out.publish(1, { a: 1 });
    await until(() => sub.context.updates.length === 1);
    await sleep(100);
    const asked = out.requests;
    out.snapshot = { state: { a: 1, b: 2, c: 3 }, num: 3 };
    await out.publish(3, { c: 3 });
    // Nothing else arrives: only the gap itself can make it ask (at once, or 100 ms after the last request).
    await until(() => out.requests === asked + 1, 1500);
    await until(() => sub.context.updates.length === 2, 1000);
    expect(last(sub)).toEqual({ a: 1, b: 2, c: 3 });
  });

  it('paces its snapshot requests against a publisher whose numbers keep falling back, and asks at once again after settling', async () => {
    const out = await fakeOut();
    out.snapshot = { state: { n: 5 }, num: 5 };
    const sub = await openIn(out.addresses, { creation: { tail_check_ms: 60_000 } });
    await out.subscribed();
    await until(() => sub.context.updates.length === 1);
    const start = out.requests;
    // Well-formed deltas alternating 5, 3, 5, 3…: each fall back looks like a restart of the out side.
    const window = Date.now() + 3000;
    let sent = 0;
    while (Date.now() < window) {
      await out.publish(sent % 2 === 0 ? 3 : 5, { n: sent });
      sent += 1;
      await sleep(5);
    }
    const asked = out.requests - start;
    // Without pacing: a request per fall back (hundreds). Paced: 100, 200, 400, 800, 1600 ms apart.
    expect(sent).toBeGreaterThan(200);
    expect(asked).toBeGreaterThan(2);
    expect(asked).toBeLessThanOrEqual(7);
    // The reader took the snapshots and is in step again; after settling, a gap is asked about at once.
    out.snapshot = { state: { n: 6 }, num: 6 };
    await out.publish(6, { n: 6 });
    await until(() => JSON.stringify(last(sub)) === JSON.stringify({ n: 6 }), 3000);
    await sleep(SNAPSHOT_RETRY_MS.settled + 100);
    // Two gaps in a row: without the reset, the second would wait the 2 s reached above.
    for (const num of [8, 10]) {
      const before = out.requests;
      out.snapshot = { state: { n: num }, num };
      const gapAt = Date.now();
      await out.publish(num, { n: num });
      await until(() => out.requests === before + 1, 1500);
      expect(Date.now() - gapAt).toBeLessThan(SNAPSHOT_RETRY_MS.max / 2);
      await until(() => JSON.stringify(last(sub)) === JSON.stringify({ n: num }));
    }
  }, 15_000);

  it('caps the updates it buffers while waiting for a snapshot by max_buffered_bytes, then syncs from the snapshot', async () => {
    const out = await fakeOut();
    out.snapshot = undefined;
    const sub = await openIn(out.addresses, { creation: { max_buffered_bytes: 2000, snapshot_timeout_ms: 100 } });
    await out.subscribed();
    let state: StateValue = {};
    for (let num = 1; num <= 40; num++) {
      const update = { [`k${num % 10}`]: 'x'.repeat(80), seq: num };
      state = applyDelta(state, update);
      await out.publish(num, update);
    }
    await until(() => sub.context.logs.some((line) => line.msg?.startsWith('delta state: too many updates while waiting for a snapshot')));
    const overflow = sub.context.logs.find((line) => line.msg?.startsWith('delta state: too many updates'))!;
    expect(overflow).toMatchObject({ level: 'warn', obj: { max_buffered_bytes: 2000 } });
    expect((overflow.obj as { bytes: number }).bytes).toBeLessThanOrEqual(2000);
    out.snapshot = { state, num: 40 };
    await until(() => JSON.stringify(last(sub)) === JSON.stringify(state));
  });

  it('decodes within its max_elements creation argument', async () => {
    const out = await fakeOut();
    out.snapshot = { state: {}, num: 0 };
    const small = await openIn(out.addresses, { creation: { max_elements: 8 } });
    const big = await openIn(out.addresses, { creation: { max_elements: 100 } });
    await out.subscribed();
    const state = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i]));
    await out.publish(1, state);
    await until(() => JSON.stringify(last(big)) === JSON.stringify(state));
    await until(() => small.context.logs.some((line) => line.msg === 'delta state: undecodable update; resyncing'));
    expect(small.context.updates).toEqual([]);
  });

  it('subscribes to its topic only', async () => {
    const out = await fakeOut('book');
    const sub = await openIn(out.addresses, { creation: { topic: 'book' } });
    const other = await openIn(out.addresses, { creation: { topic: 'other' } });
    await out.subscribed();
    await out.publish(1, { a: 1 });
    await until(() => sub.context.updates.length === 1);
    await sleep(50);
    expect(values(sub)).toEqual([{ a: 1 }]);
    expect(values(other)).toEqual([]);
  });

  it('stops updating after pause, and closes twice', async () => {
    const out = await fakeOut();
    const sub = await openIn(out.addresses);
    await out.subscribed();
    await out.publish(1, { a: 1 });
    await until(() => sub.context.updates.length === 1);
    await sub.endpoint.pause!();
    await out.publish(2, { b: 2 });
    await sleep(80);
    expect(sub.context.updates).toHaveLength(1);
    await sub.endpoint.close();
    await sub.endpoint.close();
    await expect(sub.endpoint.open()).rejects.toMatchObject({ code: 'SF_CONNECTION_CLOSED' });
  });
});

describe('delta_update_in with a real delta_update_out', () => {
  it('joins late: takes the current state, then follows', async () => {
    const addresses = await outAddresses();
    const history = new History(await openOut(addresses));
    for (let n = 1; n <= 50; n++) await history.send({ [`k${n % 7}`]: n % 3 === 0 ? null : n });
    const sub = await openIn(inAddresses(addresses));
    expect(values(sub)).toEqual([history.states[50]]);
    for (let n = 51; n <= 80; n++) await history.send({ [`k${n % 7}`]: n });
    await until(() => JSON.stringify(last(sub)) === JSON.stringify(history.states[80]));
    history.expectSeen(values(sub));
  });

  it('exposes nothing while the out side has published nothing, then its first update', async () => {
    const addresses = await outAddresses();
    const out = await openOut(addresses);
    const sub = await openIn(inAddresses(addresses));
    await sleep(50);
    expect(sub.context.updates).toEqual([]);
    await out.endpoint.send!(message({ state: { a: 1 } }, 'wf-1'));
    await until(() => sub.context.updates.length === 1);
    expect(sub.context.updates).toEqual([{ value: { a: 1 }, workflowId: 'wf-1' }]);
  });

  it('works when the out side starts after the in side', async () => {
    const addresses = await outAddresses();
    const sub = await openIn(inAddresses(addresses), { creation: { snapshot_timeout_ms: 150 } });
    expect(sub.context.updates).toEqual([]);
    const history = new History(await openOut(addresses));
    await history.send({ a: 1 });
    await history.send({ b: 2 });
    await until(() => JSON.stringify(last(sub)) === JSON.stringify({ a: 1, b: 2 }), 5000);
    history.expectSeen(values(sub));
  });

  it('follows an out side that restarted (numbering from 1 again) without mixing the two runs', async () => {
    const addresses = await outAddresses();
    const first = new History(await openOut(addresses));
    for (let n = 1; n <= 20; n++) await first.send({ [`old${n}`]: n });
    const sub = await openIn(inAddresses(addresses));
    await until(() => JSON.stringify(last(sub)) === JSON.stringify(first.states[20]));
    await first.out.endpoint.close();
    const second = new History(await openOut(addresses, { creation: { wait_after_creation_s: 0.15 } }));
    await second.send({ fresh: 1 });
    await second.send({ fresh: 2, more: true });
    await until(() => JSON.stringify(last(sub)) === JSON.stringify({ fresh: 2, more: true }), 5000);
    const seen = values(sub);
    const switchAt = seen.findIndex((value) => 'fresh' in value || Object.keys(value).length === 0);
    expect(switchAt).toBeGreaterThan(0);
    first.expectSeen(seen.slice(0, switchAt));
    second.expectSeen(seen.slice(switchAt));
  });

  it('replicates Decimal, set, UUID, Date and bytes values exactly, by delta and by snapshot', async () => {
    const addresses = await outAddresses();
    const out = await openOut(addresses);
    const state = {
      price: new Decimal('1.50'),
      tags: new Set(['a', 'b']),
      id: new UUID('123e4567-e89b-12d3-a456-426614174000'),
      at: new Date('2024-05-06T07:08:09.123Z'),
      blob: new Uint8Array([0, 1, 254, 255]),
    };
    await out.endpoint.send!(message({ state }));
    const sub = await openIn(inAddresses(addresses));
    await out.endpoint.send!(message({ state: { qty: new Decimal('0.0001') } }));
    await until(() => last(sub)?.qty !== undefined);
    for (const value of [values(sub)[0]!, last(sub)!] as (typeof state)[]) {
      expect(value.price).toBeInstanceOf(Decimal);
      expect(value.price.toFixed(2)).toBe('1.50');
      expect(value.tags).toEqual(new Set(['a', 'b']));
      expect(value.id).toBeInstanceOf(UUID);
      expect(value.id.equals(state.id)).toBe(true);
      expect(value.at).toEqual(state.at);
      expect(value.blob).toEqual(state.blob);
    }
    expect(String(last(sub)!.qty)).toBe('0.0001');
  });
});
