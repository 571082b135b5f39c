import { describe, expect, it } from 'vitest';
import { startAll } from './start-all.js';

/** Slots whose starts resolve only when the test says so; records starts and ends in order. */
function harness(services: string[]) {
  const events: string[] = [];
  const finish = new Map<string, () => void>();
  const slots = services.map((service, index) => ({ service, name: `${service}#${index}` }));
  const start = (slot: { name: string }) =>
    new Promise<void>((resolve) => {
      events.push(`start ${slot.name}`);
      finish.set(slot.name, () => {
        events.push(`ready ${slot.name}`);
        resolve();
      });
    });
  const ready = async (name: string) => {
    finish.get(name)!();
    for (let i = 0; i < 5; i++) await null;
  };
  return { events, slots, start, ready };
}

describe('startAll', () => {
  it('starts independent services together and a dependent only once every replica it needs is ready', async () => {
    const { events, slots, start, ready } = harness(['writer', 'writer', 'other', 'reader']);
    const all = startAll(slots, new Map([['reader', ['writer']]]), 8, start);
    for (let i = 0; i < 5; i++) await null;
    expect(events).toEqual(['start writer#0', 'start writer#1', 'start other#2']);
    await ready('writer#0');
    expect(events).not.toContain('start reader#3');
    await ready('writer#1');
    expect(events.at(-1)).toBe('start reader#3');
    await ready('other#2');
    await ready('reader#3');
    await all;
  });

  it('never has more than `concurrency` starts under way, and starts the waiting ones in their order', async () => {
    const { events, slots, start, ready } = harness(['a', 'b', 'c', 'd']);
    const all = startAll(slots, new Map(), 2, start);
    for (let i = 0; i < 5; i++) await null;
    expect(events).toEqual(['start a#0', 'start b#1']);
    await ready('b#1');
    expect(events.at(-1)).toBe('start c#2');
    await ready('a#0');
    expect(events.at(-1)).toBe('start d#3');
    await ready('c#2');
    await ready('d#3');
    await all;
  });
});
