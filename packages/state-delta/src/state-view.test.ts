import { decodeValue, encodeValue, isStateView } from '@sf/core/plugin';
import { describe, expect, it } from 'vitest';
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

  it('read like the plain object they stand for', async () => {
    const { handed, publish } = harness();
    const plain: Record<string, unknown> = { b: 2, a: 1, '7': 'seven', __proto__: null };
    Object.defineProperty(plain, '__proto__', { value: 'a key', enumerable: true, writable: true, configurable: true });
    await publish(1, plain, true);
    const view = handed[0] as Record<string, unknown>;
    expect(isStateView(view)).toBe(true);
    expect(Object.keys(view).sort()).toEqual(Object.keys(plain).sort());
    expect({ ...view }).toEqual({ ...plain });
    expect(JSON.parse(JSON.stringify(view))).toEqual(JSON.parse(JSON.stringify(plain)));
    expect(Object.entries(view).sort()).toEqual(Object.entries(plain).sort());
    expect(view.b).toBe(2);
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
