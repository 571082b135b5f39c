import { Decimal, UUID, ValidationError } from '@sf/core';
import { decodeRequest, encodeRequest, topicPrefix } from '@sf/core/plugin';
import { listen, sleep, testContext } from '@sf/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { Dealer } from 'zeromq';
import { applyDelta } from './apply-delta.js';
import { DEFAULT_WAIT_AFTER_CREATION_S, deltaUpdateOut } from './delta-out.js';
import { cleanups, message, openOut, outAddresses, rawSubscriber, requestSnapshot, runCleanups, until } from './endpoints.fixture.js';

afterEach(runCleanups);

describe('delta_update_out', () => {
  it('numbers updates from 1 and publishes the SPEC §4 envelope, deltas and snapshots', async () => {
    const addresses = await outAddresses();
    const { endpoint } = await openOut(addresses);
    const frames = await rawSubscriber(addresses.publisher);
    await endpoint.send!(message({ state: { a: 1, b: 'x' } }, 'wf-1'));
    await endpoint.send!(message({ state: { a: null }, is_snapshot: false }, 'wf-2'));
    await endpoint.send!(message({ state: { c: 3 }, is_snapshot: true }, null));
    await until(() => frames.length === 3);
    expect(frames.map((frame) => decodeRequest(frame))).toEqual([
      { args: { state: { a: 1, b: 'x' }, is_snapshot: false, current_num: 1 }, workflow_id: 'wf-1' },
      { args: { state: { a: null }, is_snapshot: false, current_num: 2 }, workflow_id: 'wf-2' },
      { args: { state: { c: 3 }, is_snapshot: true, current_num: 3 }, workflow_id: null },
    ]);
  });

  it('answers snapshot requests (REQ peer) with the whole state and its number: deltas set and delete, snapshots replace', async () => {
    const addresses = await outAddresses();
    const { endpoint } = await openOut(addresses);
    expect(await requestSnapshot(addresses.replyer)).toEqual({ return_args: { state: {}, current_num: 0 }, workflow_id: 'wf-snap' });
    await endpoint.send!(message({ state: { a: 1, b: 2 } }));
    await endpoint.send!(message({ state: { b: null, c: 3 } }));
    expect((await requestSnapshot(addresses.replyer)).return_args).toEqual({ state: { a: 1, c: 3 }, current_num: 2 });
    await endpoint.send!(message({ state: { only: true }, is_snapshot: true }));
    expect((await requestSnapshot(addresses.replyer)).return_args).toEqual({ state: { only: true }, current_num: 3 });
  });

  it('answers an undecodable snapshot request with an error reply and keeps serving', async () => {
    const addresses = await outAddresses();
    const out = await openOut(addresses);
    const bad = await requestSnapshot(addresses.replyer, Buffer.from([0xc1]));
    expect(bad.error).toMatchObject({ type: 'DecodeError', code: 'SF_DECODE_FAILED' });
    expect(bad.error?.message).not.toContain('/');
    expect(bad.return_args).toBeNull();
    expect((await requestSnapshot(addresses.replyer)).return_args).toEqual({ state: {}, current_num: 0 });
    expect(out.context.rejects.map((reject) => reject.reason)).toEqual(['undecodable']);
  });

  it('checks a delta as partial and a snapshot as whole; a failing value rejects, is not published and takes no number', async () => {
    const addresses = await outAddresses();
    const checks: [unknown, boolean | undefined][] = [];
    const { endpoint } = await openOut(addresses, {
      check: (value, partial) => {
        checks.push([value, partial]);
        const bad = (value as Record<string, unknown>).price === 'cheap';
        return bad
          ? new ValidationError('state.price does not match', { expected: 'a Number', received: 'a string' }, { argument: 'state.price' })
          : undefined;
      },
    });
    const frames = await rawSubscriber(addresses.publisher);
    await expect(endpoint.send!(message({ state: { price: 'cheap' } }))).rejects.toBeInstanceOf(ValidationError);
    await expect(endpoint.send!(message({ state: { price: 'cheap' }, is_snapshot: true }))).rejects.toThrow(/state\.price/);
    await endpoint.send!(message({ state: { price: 2 } }));
    await until(() => frames.length === 1);
    await sleep(30);
    expect(checks).toEqual([
      [{ price: 'cheap' }, true],
      [{ price: 'cheap' }, false],
      [{ price: 2 }, true],
    ]);
    expect(frames.map((frame) => decodeRequest(frame).args.current_num)).toEqual([1]);
    expect((await requestSnapshot(addresses.replyer)).return_args).toEqual({ state: { price: 2 }, current_num: 1 });
  });

  it('keeps numbering and snapshot answers atomic: a snapshot at num N holds exactly updates 1..N', async () => {
    const addresses = await outAddresses();
    const { endpoint } = await openOut(addresses);
    const history: Record<string, unknown>[] = [{}];
    const sends: Promise<unknown>[] = [];
    const replies: Record<string, unknown>[] = [];
    let done = false;
    const asking = (async () => {
      while (!done) replies.push((await requestSnapshot(addresses.replyer)).return_args!);
    })();
    for (let num = 1; num <= 400; num++) {
      const delta = { [`k${num % 37}`]: num % 5 === 0 ? null : num };
      history.push(applyDelta(history.at(-1)!, delta));
      sends.push(endpoint.send!(message({ state: delta })));
      if (num % 20 === 0) await sleep(2);
    }
    await Promise.all(sends);
    done = true;
    await asking;
    expect(replies.length).toBeGreaterThan(3);
    for (const reply of replies) expect(reply.state).toEqual(history[reply.current_num as number]);
    expect((await requestSnapshot(addresses.replyer)).return_args).toEqual({ state: history[400], current_num: 400 });
  });

  it('carries Decimal, set, UUID, Date and bytes values exactly', async () => {
    const addresses = await outAddresses();
    const { endpoint } = await openOut(addresses);
    const frames = await rawSubscriber(addresses.publisher);
    const state = {
      price: new Decimal('1.50'),
      tags: new Set(['a', 'b']),
      id: new UUID('123e4567-e89b-12d3-a456-426614174000'),
      at: new Date('2024-05-06T07:08:09.123Z'),
      blob: new Uint8Array([0, 1, 254, 255]),
      book: { [String(new Decimal('2.5'))]: new Decimal('100.000') },
    };
    await endpoint.send!(message({ state }));
    await until(() => frames.length === 1);
    for (const received of [decodeRequest(frames[0]!).args.state, (await requestSnapshot(addresses.replyer)).return_args!.state]) {
      const value = received as typeof state;
      expect(value.price).toBeInstanceOf(Decimal);
      expect(value.price.toString()).toBe('1.5');
      expect(value.price.toFixed(2)).toBe('1.50');
      expect(value.tags).toEqual(new Set(['a', 'b']));
      expect(value.id.equals(state.id)).toBe(true);
      expect(value.at.toISOString()).toBe('2024-05-06T07:08:09.123Z');
      expect(value.blob).toEqual(new Uint8Array([0, 1, 254, 255]));
      expect(value.book['2.5']!.equals(new Decimal('100'))).toBe(true);
    }
  });

  it('frames updates as msgpack(topic) + payload when a topic is set', async () => {
    const addresses = await outAddresses();
    const { endpoint } = await openOut(addresses, { creation: { topic: 'prices' } });
    const frames = await rawSubscriber(addresses.publisher, topicPrefix('prices'));
    await endpoint.send!(message({ state: { a: 1 } }));
    await until(() => frames.length === 1);
    expect(frames[0]!.subarray(0, 7)).toEqual(Buffer.from([0xa6, ...Buffer.from('prices')]));
    expect(decodeRequest(frames[0]!, topicPrefix('prices')).args).toEqual({ state: { a: 1 }, is_snapshot: false, current_num: 1 });
  });

  it('waits wait_after_creation_s in open(), 0.15 s by default', async () => {
    expect(DEFAULT_WAIT_AFTER_CREATION_S).toBe(0.15);
    const endpoint = await deltaUpdateOut.create(testContext({ kind: 'state', side: 'out', addresses: await outAddresses() }));
    cleanups.push(() => endpoint.close());
    const started = Date.now();
    await endpoint.open();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('closes twice, refuses to send after close, and frees both ports', async () => {
    const addresses = await outAddresses();
    const { endpoint } = await openOut(addresses);
    await endpoint.send!(message({ state: { a: 1 } }));
    await endpoint.close();
    await endpoint.close();
    await expect(endpoint.send!(message({ state: { a: 2 } }))).rejects.toMatchObject({ code: 'SF_CONNECTION_CLOSED' });
    await expect(endpoint.open()).rejects.toMatchObject({ code: 'SF_CONNECTION_CLOSED' });
    const again = await openOut(addresses);
    await again.endpoint.send!(message({ state: { b: 1 } }));
    expect((await requestSnapshot(addresses.replyer)).return_args).toEqual({ state: { b: 1 }, current_num: 1 });
  });

  it('fails to open on a port in use, naming the model and the address, and releases the other port', async () => {
    const addresses = await outAddresses();
    const holder = await listen(Number(addresses.replyer.split(':')[1]));
    cleanups.push(() => new Promise((resolve) => holder.close(resolve)));
    const endpoint = await deltaUpdateOut.create(
      testContext({ name: 'book', kind: 'state', side: 'out', addresses, creation: { wait_after_creation_s: 0 } }),
    );
    await expect(endpoint.open()).rejects.toThrow(
      /Cannot bind tcp:\/\/127\.0\.0\.1:\d+ \(states\.out\.book\.replyer\): address already in use/,
    );
    await expect(endpoint.open()).rejects.toMatchObject({ code: 'SF_BIND_FAILED', location: { model: 'state_models.out.book' } });
    const elsewhere = (await outAddresses()).replyer;
    const other = await openOut({ publisher: addresses.publisher, replyer: elsewhere });
    await other.endpoint.send!(message({ state: { a: 1 } }));
    expect((await requestSnapshot(elsewhere)).return_args).toEqual({ state: { a: 1 }, current_num: 1 });
  });

  it('rejects bad creation arguments naming them', async () => {
    const addresses = await outAddresses();
    const create = (creation: Record<string, unknown>) =>
      deltaUpdateOut.create(testContext({ kind: 'state', side: 'out', addresses, creation }));
    expect(() => create({ send_high_water_mark: -1 })).toThrow(/send_high_water_mark/);
    expect(() => create({ wait_after_creation_s: -1 })).toThrow(/wait_after_creation_s/);
    expect(() => create({ snapshot_high_water_mark: 0 })).toThrow(/snapshot_high_water_mark/);
    expect(() => create({ snapshot_high_water_mark: 2.5 })).toThrow(/snapshot_high_water_mark/);
    expect(() => deltaUpdateOut.create(testContext({ kind: 'state', side: 'out', addresses: { publisher: addresses.publisher } }))).toThrow(
      /No address for socket "replyer" at states\.out\.test\.replyer/,
    );
  });

  it('holds at most snapshot_high_water_mark replies for a peer that asks and never reads; others are still answered', async () => {
    const addresses = await outAddresses();
    const { endpoint } = await openOut(addresses, { creation: { snapshot_high_water_mark: 4 } });
    // A state of about 1 MB: what the kernel's socket buffers hold is a few replies at most.
    const big = Object.fromEntries(Array.from({ length: 1000 }, (_, index) => [`k${index}`, 'x'.repeat(1000)]));
    await endpoint.send!(message({ state: big }));
    // The peer's own queue takes one reply, so its ZeroMQ stops reading the socket.
    const hostile = new Dealer({ linger: 0, receiveHighWaterMark: 1, sendHighWaterMark: 0 });
    cleanups.push(() => hostile.close());
    hostile.connect(`tcp://${addresses.replyer}`);
    const asks = 300;
    for (let n = 0; n < asks; n++) await hostile.send([Buffer.alloc(0), encodeRequest({ args: {}, workflow_id: null })]);
    await sleep(1000);
    // Another reader is answered meanwhile.
    expect((await requestSnapshot(addresses.replyer)).return_args).toMatchObject({ current_num: 1 });
    let received = 0;
    hostile.receiveTimeout = 1000;
    try {
      for (;;) {
        await hostile.receive();
        received += 1;
      }
    } catch (error) {
      expect((error as { code?: string }).code).toBe('EAGAIN');
    }
    // The writer queued 4, the sockets in between hold a few more; ZeroMQ's default would have kept all 300.
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(30);
  });
});
