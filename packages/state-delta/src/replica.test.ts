import { ValidationError } from '@sf/core';
import { describe, expect, it } from 'vitest';
import { Replica } from './replica.js';
import type { Publication, Snapshot } from './wire.js';

/** A replica whose hooks record what it does; `check` rejects any value holding the key `bad`. */
function harness(maxBufferedBytes?: number) {
  const updates: { value: Record<string, unknown>; workflowId: string | null }[] = [];
  const logs: string[] = [];
  const rejected: string[] = [];
  let wanted = 0;
  const replica = new Replica({
    check: (value) => ('bad' in (value as object) ? new ValidationError('bad value', { expected: 'no bad', received: 'bad' }) : undefined),
    update: async (value, workflowId) => {
      updates.push({ value, workflowId });
    },
    wantSnapshot: () => {
      wanted += 1;
    },
    logger: { debug: () => {}, info: (_o, msg) => logs.push(String(msg)), warn: (_o, msg) => logs.push(String(msg)), error: () => {} },
    reject: (reason, message) => {
      rejected.push(reason);
      logs.push(message);
    },
    maxBufferedBytes,
  });
  return { replica, updates, logs, rejected, values: () => updates.map((u) => u.value), wanted: () => wanted };
}

const delta = (num: number, state: Record<string, unknown>, workflowId: string | null = null): Publication => ({
  state,
  isSnapshot: false,
  num,
  workflowId,
});
const published = (num: number, state: Record<string, unknown>): Publication => ({ state, isSnapshot: true, num, workflowId: null });
const snapshot = (num: number, state: Record<string, unknown>): Snapshot => ({ state, num, workflowId: 'snap' });

describe('Replica', () => {
  it('buffers deltas until the first snapshot, then applies only those after it, in order', async () => {
    const { replica, values } = harness();
    expect(replica.needsSnapshot).toBe(true);
    await replica.onPublication(delta(4, { a: 4 }));
    await replica.onPublication(delta(5, { b: 5 }));
    await replica.onPublication(delta(6, { a: null }));
    expect(values()).toEqual([]);
    expect(await replica.onSnapshot(snapshot(4, { a: 4, z: 0 }), replica.generation)).toBe(true);
    expect(values()).toEqual([
      { a: 4, z: 0 },
      { a: 4, z: 0, b: 5 },
      { z: 0, b: 5 },
    ]);
    expect(replica.needsSnapshot).toBe(false);
    expect(replica.num).toBe(6);
  });

  it('applies num == held+1 and passes workflow ids on', async () => {
    const { replica, updates } = harness();
    await replica.onSnapshot(snapshot(0, {}), replica.generation);
    await replica.onPublication(delta(1, { a: 1 }, 'wf-1'));
    await replica.onPublication(delta(2, { b: 2 }, 'wf-2'));
    expect(updates).toEqual([
      { value: { a: 1 }, workflowId: 'wf-1' },
      { value: { a: 1, b: 2 }, workflowId: 'wf-2' },
    ]);
    expect(replica.needsSnapshot).toBe(false);
  });

  it('hands out a new read-only value per update and never changes one already handed out', async () => {
    const { replica, values } = harness();
    await replica.onSnapshot(snapshot(1, { a: 1 }), replica.generation);
    await replica.onPublication(delta(2, { a: 2 }));
    await replica.onPublication(delta(3, { a: null, b: 3 }));
    const [first, second, third] = values();
    expect([first, second, third]).toEqual([{ a: 1 }, { a: 2 }, { b: 3 }]);
    expect(new Set([first, second, third]).size).toBe(3);
    // A frozen copy (small states) or a view over a persistent map: it cannot be changed (strict code throws).
    for (const value of values()) {
      const record = value as Record<string, unknown>;
      expect(() => {
        record.a = 9;
      }).toThrow(TypeError);
      expect(() => delete record[Object.keys(record)[0]!]).toThrow(TypeError);
      expect(() => Object.defineProperty(record, 'z', { value: 1 })).toThrow(TypeError);
    }
    expect([first, second, third]).toEqual([{ a: 1 }, { a: 2 }, { b: 3 }]);
  });

  it('on a gap asks for a snapshot, buffers, and resumes after it; its lag counts the updates seen but not applied', async () => {
    const { replica, values, wanted } = harness();
    await replica.onSnapshot(snapshot(0, {}), replica.generation);
    await replica.onPublication(delta(1, { a: 1 }));
    expect(replica.lag).toBe(0);
    await replica.onPublication(delta(4, { d: 4 }));
    await replica.onPublication(delta(5, { e: 5 }));
    expect(replica.needsSnapshot).toBe(true);
    expect(wanted()).toBe(1);
    expect(values()).toEqual([{ a: 1 }]);
    expect(replica.lag).toBe(4);
    await replica.onSnapshot(snapshot(4, { a: 1, b: 2, c: 3, d: 4 }), replica.generation);
    expect(values().slice(1)).toEqual([
      { a: 1, b: 2, c: 3, d: 4 },
      { a: 1, b: 2, c: 3, d: 4, e: 5 },
    ]);
    expect(replica.num).toBe(5);
    expect(replica.lag).toBe(0);
  });

  it('asks again when the snapshot is older than a gap in the buffered updates', async () => {
    const { replica, values, wanted } = harness();
    await replica.onPublication(delta(7, { x: 7 }));
    expect(await replica.onSnapshot(snapshot(3, { x: 3 }), replica.generation)).toBe(false);
    expect(values()).toEqual([{ x: 3 }]);
    expect(replica.needsSnapshot).toBe(true);
    expect(wanted()).toBe(1);
    await replica.onSnapshot(snapshot(7, { x: 7 }), replica.generation);
    expect(values()).toEqual([{ x: 3 }, { x: 7 }]);
    expect(replica.needsSnapshot).toBe(false);
  });

  it('ignores a snapshot asked for before a newer resync, and one that arrives when none is needed', async () => {
    const { replica, values } = harness();
    const before = replica.generation;
    await replica.onSnapshot(snapshot(0, {}), before);
    await replica.onPublication(delta(1, { a: 1 }));
    expect(await replica.onSnapshot(snapshot(5, { late: 5 }), before)).toBe(true);
    expect(values()).toEqual([{ a: 1 }]);
    replica.resync('test', true);
    const stale = replica.generation - 1;
    await replica.onSnapshot(snapshot(9, { stale: true }), stale);
    expect(replica.needsSnapshot).toBe(true);
    expect(values()).toHaveLength(1);
  });

  it('ignores publications that lag behind a snapshot, without asking again', async () => {
    const { replica, values, wanted } = harness();
    await replica.onSnapshot(snapshot(0, {}), replica.generation);
    await replica.onPublication(delta(1, { a: 1 }));
    await replica.onPublication(delta(5, { e: 5 }));
    expect(wanted()).toBe(1);
    await replica.onSnapshot(snapshot(10, { all: 10 }), replica.generation);
    for (const num of [6, 7, 8]) await replica.onPublication(delta(num, { [`lag${num}`]: true }));
    await replica.onPublication(published(9, { lagging: 'snapshot' }));
    await replica.onPublication(delta(10, { lag10: true }));
    await replica.onPublication(delta(11, { b: 11 }));
    expect(values()).toEqual([{ a: 1 }, { all: 10 }, { all: 10, b: 11 }]);
    expect(wanted()).toBe(1);
    expect(replica.needsSnapshot).toBe(false);
  });

  it('detects a restarted out side (numbers fall back): buffers instead of applying, then takes its snapshot', async () => {
    const { replica, values, logs } = harness();
    await replica.onSnapshot(snapshot(3, { old: 3 }), replica.generation);
    await replica.onPublication(delta(4, { old: 4 }));
    await replica.onPublication(delta(1, { fresh: 1 }));
    await replica.onPublication(delta(2, { fresh: 2 }));
    expect(logs).toContain('delta state: numbering started again: the out side restarted');
    expect(values()).toEqual([{ old: 3 }, { old: 4 }]);
    expect(replica.needsSnapshot).toBe(true);
    await replica.onSnapshot(snapshot(1, { fresh: 1 }), replica.generation);
    expect(logs).toContain('delta state: the out side restarted; taking its state');
    expect(values()).toEqual([{ old: 3 }, { old: 4 }, { fresh: 1 }, { fresh: 2 }]);
  });

  it('takes a snapshot at the held number when a restart is suspected, but not otherwise', async () => {
    const { replica, values } = harness();
    await replica.onSnapshot(snapshot(3, { a: 3 }), replica.generation);
    replica.resync('gap');
    await replica.onSnapshot(snapshot(3, { a: 3 }), replica.generation);
    expect(values()).toEqual([{ a: 3 }]);
    replica.resync('reconnected', true);
    await replica.onSnapshot(snapshot(3, { other: 'run' }), replica.generation);
    expect(values()).toEqual([{ a: 3 }, { other: 'run' }]);
  });

  it('starts the buffer again when numbering restarts inside it', async () => {
    const { replica, values } = harness();
    await replica.onPublication(delta(40, { old: 40 }));
    await replica.onPublication(delta(41, { old: 41 }));
    await replica.onPublication(delta(2, { n: 2 }));
    await replica.onPublication(delta(3, { n: 3 }));
    await replica.onSnapshot(snapshot(1, { n: 1 }), replica.generation);
    expect(values()).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it('takes a published snapshot while syncing and after a restart, dropping what was buffered before it', async () => {
    const { replica, values } = harness();
    await replica.onPublication(delta(2, { a: 2 }));
    const generation = replica.generation;
    await replica.onPublication(published(3, { all: 3 }));
    await replica.onPublication(delta(4, { b: 4 }));
    expect(values()).toEqual([{ all: 3 }, { all: 3, b: 4 }]);
    expect(await replica.onSnapshot(snapshot(2, { a: 2 }), generation)).toBe(true);
    await replica.onPublication(published(1, { restarted: true }));
    expect(values().at(-1)).toEqual({ restarted: true });
    expect(replica.num).toBe(1);
  });

  it('holds an empty snapshot at number 0 (the out side before its first update) without exposing it, and applies deltas 1, 2… on it', async () => {
    const { replica, updates } = harness();
    await replica.onPublication(delta(1, { a: 1 }, 'wf-1'));
    expect(await replica.onSnapshot(snapshot(0, {}), replica.generation)).toBe(true);
    expect(replica.num).toBe(1);
    await replica.onPublication(delta(2, { b: 2 }, 'wf-2'));
    expect(updates).toEqual([
      { value: { a: 1 }, workflowId: 'wf-1' },
      { value: { a: 1, b: 2 }, workflowId: 'wf-2' },
    ]);

    const restarted = harness();
    await restarted.replica.onSnapshot(snapshot(0, {}), restarted.replica.generation);
    expect(restarted.updates).toEqual([]);
    expect(restarted.replica.num).toBe(0);
    expect(restarted.replica.needsSnapshot).toBe(false);
    await restarted.replica.onPublication(delta(1, { old: 1 }));
    restarted.replica.resync('reconnected', true);
    await restarted.replica.onSnapshot(snapshot(0, {}), restarted.replica.generation);
    expect(restarted.replica.num).toBe(0);
    expect(restarted.values()).toEqual([{ old: 1 }]);
    expect(restarted.replica.needsSnapshot).toBe(false);
  });

  it('checks a published snapshot as a whole state, and a requested one like a delta (a sum of checked deltas)', async () => {
    const checks: boolean[] = [];
    const replica = new Replica({
      check: (value, partial) => {
        checks.push(partial === true);
        return partial !== true && !('required' in (value as object))
          ? new ValidationError('state.required is missing', { expected: 'a Number', received: 'nothing' })
          : undefined;
      },
      update: async () => {},
      wantSnapshot: () => {},
      logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
      reject: () => {},
    });
    expect(await replica.onSnapshot(snapshot(0, {}), replica.generation)).toBe(true);
    await replica.onPublication(delta(1, { other: 1 }));
    await replica.onPublication(published(2, { other: 2 }));
    expect(replica.num).toBe(1);
    expect(replica.needsSnapshot).toBe(true);
    expect(checks).toEqual([true, true, false]);
  });

  it('drops an update that fails the state model and resyncs; refuses an invalid snapshot', async () => {
    const { replica, values, logs, rejected } = harness();
    await replica.onSnapshot(snapshot(0, {}), replica.generation);
    await replica.onPublication(delta(1, { bad: 1 }));
    expect(values()).toEqual([]);
    expect(replica.needsSnapshot).toBe(true);
    expect(logs).toContain('delta state: an update failed the state model; resyncing');
    expect(await replica.onSnapshot(snapshot(1, { bad: 1 }), replica.generation)).toBe(false);
    expect(replica.needsSnapshot).toBe(true);
    await replica.onPublication(delta(2, { ok: 2 }));
    expect(await replica.onSnapshot(snapshot(2, { ok: 2 }), replica.generation)).toBe(true);
    expect(values()).toEqual([{ ok: 2 }]);
    expect(rejected).toEqual(['bad_state', 'bad_snapshot']);
  });

  it('takes a snapshot numbered below the publications seen before asking (Python 0.0.3 answers 0) as of the last one seen', async () => {
    const { replica, values, wanted } = harness();
    // Joined late: asked before any publication, so a number 0 is taken as it is (its keys exposed).
    await replica.onPublication(delta(3000, { a: 3000 }));
    expect(await replica.onSnapshot(snapshot(0, { a: 3000, z: 1 }), replica.generation)).toBe(false);
    expect(values()).toEqual([{ a: 3000, z: 1 }]);
    expect(wanted()).toBe(1);
    // Asked again after publication 3000: the state is current, its number is at least 3000.
    const generation = replica.generation;
    const seen = replica.published;
    expect(seen).toBe(3000);
    await replica.onPublication(delta(3001, { b: 3001 }));
    expect(await replica.onSnapshot(snapshot(0, { a: 3000, z: 1, b: 3001 }), generation, seen)).toBe(true);
    expect(replica.num).toBe(3001);
    await replica.onPublication(delta(3002, { a: null }));
    expect(values()).toEqual([
      { a: 3000, z: 1 },
      { a: 3000, z: 1, b: 3001 },
      { a: 3000, z: 1, b: 3001 },
      { z: 1, b: 3001 },
    ]);
    expect(wanted()).toBe(1);

    // A check once publications stop: the same state changes nothing, one with an update lost at the end is taken.
    replica.resync('publications stopped', false, true);
    expect(await replica.onSnapshot(snapshot(0, { z: 1, b: 3001 }), replica.generation, replica.published)).toBe(true);
    expect(values()).toHaveLength(4);
    replica.resync('publications stopped', false, true);
    expect(await replica.onSnapshot(snapshot(0, { z: 1, b: 3001, lost: 3003 }), replica.generation, replica.published)).toBe(true);
    expect(values().at(-1)).toEqual({ z: 1, b: 3001, lost: 3003 });
    expect(replica.num).toBe(3002);
  });

  it('takes a number below the publications seen as it is when the out side may have restarted', async () => {
    const { replica, values } = harness();
    await replica.onSnapshot(snapshot(5, { old: 5 }), replica.generation);
    await replica.onPublication(delta(6, { old: 6 }));
    replica.resync('reconnected to the out side', true);
    expect(await replica.onSnapshot(snapshot(2, { fresh: 2 }), replica.generation, replica.published)).toBe(true);
    expect(replica.num).toBe(2);
    expect(values().at(-1)).toEqual({ fresh: 2 });
  });

  it('drops its buffer past maxBufferedBytes (logged once), and asks again when the snapshot is older than what it dropped', async () => {
    const { replica, values, logs, wanted } = harness(250);
    const sized = (num: number): Publication => ({ ...delta(num, { [`k${num}`]: num }), bytes: 100 });
    for (let num = 1; num <= 5; num++) await replica.onPublication(sized(num));
    expect(logs.filter((line) => line.startsWith('delta state: too many updates while waiting for a snapshot'))).toHaveLength(1);
    // 1 and 2, then 3 and 4 were dropped: 5 is held, so a snapshot at 2 leaves a gap.
    expect(await replica.onSnapshot(snapshot(2, { k1: 1, k2: 2 }), replica.generation)).toBe(false);
    expect(wanted()).toBe(1);
    expect(await replica.onSnapshot(snapshot(5, { k1: 1, k2: 2, k3: 3, k4: 4, k5: 5 }), replica.generation)).toBe(true);
    expect(values().at(-1)).toEqual({ k1: 1, k2: 2, k3: 3, k4: 4, k5: 5 });
  });
});
