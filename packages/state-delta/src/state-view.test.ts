import { decodeValue, encodeValue, isStateView, STATE_PLAIN_MAX } from '@sf/core/plugin';
import { describe, expect, it } from 'vitest';
import { applyDelta, copyState } from './apply-delta.js';
import { Replica } from './replica.js';

const logger = { info() {}, warn() {}, debug() {}, error() {}, trace() {}, fatal() {}, child: () => logger } as never;

/** A replica whose `update` records every value handed out. */
function harness() {
  const handed: Record<string, unknown>[] = [];
  const replica = new Replica({
    check: () => undefined,
    update: (value) => {
      handed.push(value as Record<string, unknown>);
    },
    wantSnapshot() {},
    reject() {},
    logger,
  });
  const publish = (num: number, state: Record<string, unknown>, isSnapshot = false) =>
    replica.onPublication({ num, state, isSnapshot, workflowId: null });
  return { handed, publish };
}

describe('the values a delta reader hands out', () => {
  it('never change after later updates: set, deleted and nested keys included', async () => {
    const { handed, publish } = harness();
    const nested = { levels: [1, 2], meta: { venue: 'X' } };
    await publish(1, { '101.5': 3, '102': 4, deep: nested }, true);
    const kept = handed[0] as Record<string, unknown>;
    const json = JSON.stringify(kept);
    await publish(2, { '101.5': 7 });
    await publish(3, { '102': null, deep: { levels: [9], meta: { venue: 'Y' } } });
    await publish(4, { added: true });
    expect(JSON.stringify(kept)).toBe(json);
    expect(kept['101.5']).toBe(3);
    expect('102' in kept).toBe(true);
    expect(kept.added).toBeUndefined();
    expect(kept.deep).toBe(nested);
    expect(nested).toEqual({ levels: [1, 2], meta: { venue: 'X' } });
    expect(handed[3]).toEqual({ '101.5': 7, deep: { levels: [9], meta: { venue: 'Y' } }, added: true });
    expect(handed.map((value) => value['101.5'])).toEqual([3, 7, 7, 7]);
  });

  it('read like the plain object they stand for, keys in the same order', async () => {
    const { handed, publish } = harness();
    // Over STATE_PLAIN_MAX keys, so the reader hands out views (smaller states get frozen plain copies).
    const fillers = Object.fromEntries(Array.from({ length: STATE_PLAIN_MAX }, (_, i) => [`f${i}`, i]));
    const snapshot: Record<string, unknown> = { b: 2, a: 1, '7': 'seven', '101.5': 3, ...fillers };
    Object.defineProperty(snapshot, '__proto__', { value: 'a key', enumerable: true, writable: true, configurable: true });
    const deltas: Record<string, unknown>[] = [
      { c: 3, '2': 'two' },
      { b: null, a: 10 },
      { b: 4, '0': 'zero', '01': 'not an index' },
    ];
    await publish(1, snapshot, true);
    let plain = copyState(snapshot);
    for (const [i, delta] of deltas.entries()) {
      await publish(i + 2, delta);
      plain = applyDelta(plain, delta);
    }
    const view = handed[3] as Record<string, unknown>;
    expect(isStateView(view)).toBe(true);
    expect(Object.keys(view)).toEqual(Object.keys(plain));
    expect(JSON.stringify(view)).toBe(JSON.stringify(plain));
    expect(JSON.stringify({ ...view })).toBe(JSON.stringify({ ...plain }));
    expect(Object.entries(view)).toEqual(Object.entries(plain));
    expect(Object.hasOwn(view, '__proto__')).toBe(true);
    expect(view.__proto__).toBe('a key');
    expect(view.b).toBe(4);
    expect('a' in view).toBe(true);
    expect('z' in view).toBe(false);
    expect(Object.hasOwn(view, 'a')).toBe(true);
    expect(Object.getPrototypeOf(view)).toBe(Object.prototype);
    expect(String(view)).toBe('[object Object]');
  });

  it('cannot be changed', async () => {
    const { handed, publish } = harness();
    await publish(1, { a: 1 }, true);
    const view = handed[0] as Record<string, unknown>;
    expect(() => {
      view.a = 2;
    }).toThrow(TypeError);
    expect(() => {
      view.b = 2;
    }).toThrow(TypeError);
    expect(() => delete view.a).toThrow(TypeError);
    expect(() => Object.setPrototypeOf(view, null)).toThrow(TypeError);
    expect(view).toEqual({ a: 1 });
  });

  it('pass back through the codec (what to_send encodes) unchanged', async () => {
    const { handed, publish } = harness();
    const state = { '101.5': 3, nested: { x: [1, 2, { y: 'z' }] }, big: 2 ** 40 };
    await publish(1, state, true);
    const view = handed[0] as Record<string, unknown>;
    expect(decodeValue(encodeValue({ book: view, inner: [view] }))).toEqual({ book: state, inner: [state] });
  });
});
