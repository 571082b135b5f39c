// A state whose keys are dynamic (an order book side: price level → size), as `optional_arguments:
// mapOf(Decimal, Decimal)`, written and read as deltas through real endpoints and the runner's checks.
import { Decimal, mapOf, ValidationError } from '@sf/core';
import { decodeRequest } from '@sf/core/plugin';
import { stateCheck } from '@sf/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  inAddresses,
  message,
  openIn,
  openOut,
  outAddresses,
  rawSubscriber,
  requestSnapshot,
  runCleanups,
  until,
} from './endpoints.fixture.js';

afterEach(runCleanups);

const levels = { optional: mapOf(Decimal, Decimal) };

/** `n` price levels from 50000.00 up by 0.50, each of size 1. */
function book(from: number, n: number): Record<string, Decimal> {
  const value: Record<string, Decimal> = {};
  for (let i = from; i < from + n; i++) value[(50_000 + i / 2).toFixed(2)] = new Decimal(1);
  return value;
}

describe('a delta state keyed by price level (a top-level mapOf)', () => {
  it('publishes only the changed levels: the bytes of a one-level delta are the same with 10 and 1000 levels', async () => {
    const addresses = await outAddresses();
    const out = await openOut(addresses, { check: stateCheck(levels, 'state_models.out.book') });
    const reader = await openIn(inAddresses(addresses), { check: stateCheck(levels, 'state_models.in.book') });
    const frames = await rawSubscriber(addresses.publisher);
    const lastFrame = async (count: number) => {
      await until(() => frames.length === count);
      return frames.at(-1)!;
    };
    const change = { '50001.00': new Decimal('2.5') };

    await out.endpoint.send!(message({ state: book(0, 10), is_snapshot: true }));
    await out.endpoint.send!(message({ state: change }));
    const atTen = await lastFrame(2);
    // 99 levels per delta up to 1000, then the same one-level change again.
    for (let from = 10; from < 1000; from += 99) await out.endpoint.send!(message({ state: book(from, 99) }));
    await out.endpoint.send!(message({ state: change }));
    const atThousand = await lastFrame(13);

    expect(decodeRequest(atThousand).args).toEqual({ state: change, is_snapshot: false, current_num: 13 });
    expect(atThousand.length).toBe(atTen.length);
    expect(atThousand.length).toBeLessThan(100);
    // The whole book, as a snapshot answer carries it, is what a delta saves resending.
    const snapshot = await requestSnapshot(addresses.replyer);
    expect(Object.keys(snapshot.return_args!.state as object)).toHaveLength(1000);

    // The reader holds the whole book, however it joined (from the first publication or a snapshot).
    const held = () => (reader.context.updates.at(-1)?.value ?? {}) as Record<string, Decimal>;
    await until(() => Object.keys(held()).length === 1000);
    expect(held()['50001.00']!.toString()).toBe('2.5');
  });

  it('deletes a level with null, and refuses a bad level naming it, on both sides', async () => {
    const addresses = await outAddresses();
    const out = await openOut(addresses, { check: stateCheck(levels, 'state_models.out.book') });
    const reader = await openIn(inAddresses(addresses), { check: stateCheck(levels, 'state_models.in.book') });
    await out.endpoint.send!(message({ state: book(0, 3), is_snapshot: true }));
    await out.endpoint.send!(message({ state: { '50000.50': null } }));
    await until(() => Object.keys(reader.context.updates.at(-1)?.value ?? {}).join() === '50000.00,50001.00');

    const bad = out.endpoint.send!(message({ state: { cheap: new Decimal(1) } }));
    await expect(bad).rejects.toBeInstanceOf(ValidationError);
    await expect(bad).rejects.toMatchObject({
      location: { model: 'state_models.out.book', argument: 'state["cheap"]' },
      received: "string 'cheap'",
    });
    // A snapshot holds levels, not deletions.
    await expect(out.endpoint.send!(message({ state: { '50000.00': null }, is_snapshot: true }))).rejects.toThrow(/state\["50000\.00"\]/);
    expect((await requestSnapshot(addresses.replyer)).return_args).toMatchObject({ current_num: 2 });
  });
});
