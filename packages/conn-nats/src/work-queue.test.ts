import { describe, expect, it } from 'vitest';
import { WorkQueue } from './work-queue.js';

/** A queue whose handler waits until `release()`; `done` lists the items handled. */
function blockedQueue(concurrency: number, items: number, bytes: number) {
  const done: string[] = [];
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const queue = new WorkQueue<string>(
    concurrency,
    async (item) => {
      await gate;
      done.push(item);
    },
    { items, bytes, size: (item) => item.length },
  );
  return { queue, done, release };
}

describe('WorkQueue with a limit', () => {
  it('refuses items past max items while the handlers are busy, and runs the ones it took in order', async () => {
    const { queue, done, release } = blockedQueue(1, 3, 1_000_000);
    const taken = Array.from({ length: 10 }, (_, n) => queue.push(`m${n}`));
    expect(taken).toEqual([true, true, true, true, false, false, false, false, false, false]);
    expect(queue.waiting).toBe(3);
    release();
    await queue.drain();
    expect(done).toEqual(['m0', 'm1', 'm2', 'm3']);
    expect(queue.waiting).toBe(0);
    expect(queue.waitingBytes).toBe(0);
  });

  it('refuses items past max bytes waiting; a free handler still takes one of any size', async () => {
    const { queue, done, release } = blockedQueue(1, 1000, 10);
    expect(queue.push('x'.repeat(50))).toBe(true); // runs at once
    expect(queue.push('aaaa')).toBe(true);
    expect(queue.push('bbbb')).toBe(true);
    expect(queue.push('ccc')).toBe(false);
    expect(queue.push('cc')).toBe(true);
    expect(queue.waitingBytes).toBe(10);
    release();
    await queue.drain();
    expect(done).toEqual(['x'.repeat(50), 'aaaa', 'bbbb', 'cc']);
  });

  it('keeps memory flat under steady load: items already taken are let go', async () => {
    let handled = 0;
    const queue = new WorkQueue<number>(
      1,
      async () => {
        handled += 1;
      },
      { items: 100_000, bytes: Number.MAX_SAFE_INTEGER, size: () => 1 },
    );
    for (let round = 0; round < 50; round++) {
      for (let n = 0; n < 1000; n++) queue.push(n);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await queue.drain();
    expect(handled).toBe(50_000);
    expect(queue.waiting).toBe(0);
  });
});
