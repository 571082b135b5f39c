import { freePort, testContext } from '@sf/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { Subscriber } from 'zeromq';
import { HighWaterDrops } from './high-water-drops.js';
import { TopicPublisher } from './topic-publisher.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const context = () => testContext({ name: 'ticks', side: 'out', addresses: { publisher: '127.0.0.1:1' } });
const dropLines = (logs: { msg?: string }[]) => logs.filter((line) => line.msg?.includes('dropped'));

describe('HighWaterDrops', () => {
  it('counts only a refusal at the mark (EAGAIN), logs the first at warn, holds back the next, and logs the total at close', () => {
    const ctx = context();
    const drops = new HighWaterDrops(ctx, 'publisher', 'tcp://127.0.0.1:1', 10);
    expect(drops.take(new Error('socket closed'))).toBe(false);
    expect(drops.take(Object.assign(new Error('busy'), { code: 'EBUSY' }))).toBe(false);
    expect(drops.take(undefined)).toBe(false);
    expect(drops.count).toBe(0);
    drops.summary();
    expect(dropLines(ctx.logs)).toEqual([]);

    const full = Object.assign(new Error('Resource temporarily unavailable'), { code: 'EAGAIN' });
    expect(drops.take(full)).toBe(true);
    expect(drops.take(full)).toBe(true);
    expect(drops.take(full)).toBe(true);
    expect(drops.count).toBe(3);
    expect(dropLines(ctx.logs)).toEqual([
      expect.objectContaining({ level: 'warn', obj: { address: 'tcp://127.0.0.1:1', send_high_water_mark: 10, dropped: 1 } }),
    ]);
    drops.summary();
    expect(dropLines(ctx.logs)[1]).toMatchObject({
      level: 'warn',
      obj: { dropped: 3, send_high_water_mark: 10 },
      msg: "publisher dropped 3 message(s) in all because a subscriber's queue was at send_high_water_mark 10 (0: no limit)",
    });
  });

  it("counts exactly what a real PUB socket refuses when a subscriber's queue is full: delivered + dropped = sent", async () => {
    const port = await freePort();
    const ctx = testContext({
      name: 'ticks',
      side: 'out',
      addresses: { publisher: `127.0.0.1:${port}` },
      creation: { wait_after_creation_s: 0, send_high_water_mark: 10 },
    });
    const publisher = new TopicPublisher(ctx, { label: 'publisher', countDrops: true });
    cleanups.push(() => publisher.close());
    await publisher.open();
    const subscriber = new Subscriber({ linger: 0, receiveHighWaterMark: 10 });
    cleanups.push(() => subscriber.close());
    subscriber.subscribe();
    subscriber.connect(`tcp://127.0.0.1:${port}`);
    // Slow joiner: publish until one arrives, then drain what is queued.
    subscriber.receiveTimeout = 20;
    for (let joined = false; !joined; ) {
      await publisher.send(Buffer.from('warm'));
      joined = await subscriber.receive().then(
        () => true,
        () => false,
      );
    }
    await drain(subscriber);

    // The subscriber reads nothing while 2000 messages are sent: its queues (10 + 10, plus the TCP buffers) fill up.
    const sent = 2000;
    for (let n = 0; n < sent; n++) await publisher.send(Buffer.from(`m${n}`)).catch(() => {});
    expect(publisher.dropped).toBeGreaterThan(0);
    const delivered = (await drain(subscriber)).filter((frame) => frame.startsWith('m'));
    expect(delivered.length + publisher.dropped).toBe(sent);
    // What got through came in order, with gaps where messages were refused.
    const numbers = delivered.map((frame) => Number(frame.slice(1)));
    expect(numbers.every((n, i) => i === 0 || n > numbers[i - 1]!)).toBe(true);
    expect(dropLines(ctx.logs)).toHaveLength(1);
  });
});

/** Reads what arrives until nothing has come for a while. */
async function drain(subscriber: Subscriber): Promise<string[]> {
  const frames: string[] = [];
  subscriber.receiveTimeout = 300;
  for (;;) {
    const frame = await subscriber.receive().then(
      ([first]) => first?.toString(),
      () => undefined,
    );
    if (frame === undefined) return frames;
    frames.push(frame);
  }
}
