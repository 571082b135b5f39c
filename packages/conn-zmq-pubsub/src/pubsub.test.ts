import type { Endpoint } from '@sf/core/plugin';
import { afterEach, describe, expect, it } from 'vitest';
import { Publisher, Subscriber } from 'zeromq';
import { freePort, type LogLine, listen, outbound, sleep, testContext } from '@sf/core/testing';
import { DEFAULT_WAIT_AFTER_CREATION_S, publisher } from './publisher.js';
import { subscriber } from './subscriber.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A subscriber endpoint and the payloads it has handed to the runner, as strings. */
interface Received {
  endpoint: Endpoint;
  payloads: string[];
}

/** A subscriber endpoint; with `hold`, its handler waits for `hold` before it takes each message (a slow subscriber). */
async function openSubscriber(address: string, creation: Record<string, unknown> = {}, hold?: Promise<void>): Promise<Received> {
  const payloads: string[] = [];
  const endpoint = await subscriber.create(
    testContext({
      addresses: { subscriber: address },
      creation: { on_new_message: () => {}, ...creation },
      receive: async (frame) => {
        const payload = Buffer.from(frame).toString();
        if (hold !== undefined && payload !== 'warmup') await hold;
        payloads.push(payload);
        return undefined;
      },
    }),
  );
  cleanups.push(() => endpoint.close());
  await endpoint.open();
  return { endpoint, payloads };
}

async function openPublisher(address: string, creation: Record<string, unknown> = {}): Promise<Endpoint> {
  return (await openLoggingPublisher(address, creation)).endpoint;
}

/** An open publisher endpoint and the lines it logs. */
async function openLoggingPublisher(
  address: string,
  creation: Record<string, unknown> = {},
): Promise<{ endpoint: Endpoint; logs: LogLine[] }> {
  const context = testContext({ side: 'out', addresses: { publisher: address }, creation: { wait_after_creation_s: 0, ...creation } });
  const endpoint = await publisher.create(context);
  cleanups.push(() => endpoint.close());
  await endpoint.open();
  return { endpoint, logs: context.logs };
}

/** Publishes `warmup` until every subscriber got one (slow joiners), then forgets the warm-ups. */
async function warmUp(pub: Endpoint, subscribers: Received[]): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!subscribers.every((sub) => sub.payloads.includes('warmup'))) {
    if (Date.now() > deadline) throw new Error('subscribers never joined');
    await pub.send?.(outbound('warmup'));
    await sleep(20);
  }
  await sleep(50);
  for (const sub of subscribers) {
    const rest = sub.payloads.filter((payload) => payload !== 'warmup');
    sub.payloads.splice(0, sub.payloads.length, ...rest);
  }
}

const until = (check: () => boolean): Promise<void> => expect.poll(check, { timeout: 5000 }).toBe(true);

describe('publisher and subscriber', () => {
  it('deliver every message in order without a topic', async () => {
    const port = await freePort();
    const pub = await openPublisher(`127.0.0.1:${port}`);
    const sub = await openSubscriber(`127.0.0.1:${port}`);
    await warmUp(pub, [sub]);
    for (const n of [1, 2, 3, 4, 5]) expect(await pub.send?.(outbound(`m${n}`))).toBeUndefined();
    await until(() => sub.payloads.length === 5);
    expect(sub.payloads).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
  });

  it('frame a topic as msgpack(topic) + payload and hand subscribers the payload alone', async () => {
    const port = await freePort();
    const pub = await openPublisher(`127.0.0.1:${port}`, { topic: 'prices' });
    const sub = await openSubscriber(`127.0.0.1:${port}`, { topic: 'prices' });
    const raw = new Subscriber({ linger: 0 });
    cleanups.push(() => raw.close());
    raw.subscribe();
    raw.connect(`tcp://127.0.0.1:${port}`);
    const rawFrames: Buffer[] = [];
    void (async () => {
      for await (const [frame] of raw) if (frame) rawFrames.push(frame);
    })();
    const deadline = Date.now() + 5000;
    while ((rawFrames.length === 0 || !sub.payloads.includes('warmup')) && Date.now() < deadline) {
      await pub.send?.(outbound('warmup'));
      await sleep(20);
    }
    await pub.send?.(outbound('payload'));
    await until(() => sub.payloads.includes('payload') && rawFrames.at(-1)?.toString().endsWith('payload') === true);
    expect(sub.payloads.filter((payload) => payload !== 'warmup')).toEqual(['payload']);
    // fixstr header 0xa6 + "prices", then the payload bytes.
    expect(rawFrames.at(-1)).toEqual(Buffer.concat([Buffer.from([0xa6]), Buffer.from('prices'), Buffer.from('payload')]));
  });

  it('filter by topic: a subscriber to "a" gets neither "b" nor "ab"; one without topic gets all, topic skipped', async () => {
    const port = await freePort();
    const raw = new Publisher({ linger: 0 });
    cleanups.push(() => raw.close());
    await raw.bind(`tcp://127.0.0.1:${port}`);
    const onlyA = await openSubscriber(`127.0.0.1:${port}`, { topic: 'a' });
    const onlyB = await openSubscriber(`127.0.0.1:${port}`, { topic: 'b' });
    const all = await openSubscriber(`127.0.0.1:${port}`);
    const framed = (topic: string, payload: string): Buffer =>
      Buffer.concat([Buffer.from([0xa0 + topic.length]), Buffer.from(topic), Buffer.from(payload)]);
    const deadline = Date.now() + 5000;
    while (![onlyA, onlyB, all].every((sub) => sub.payloads.length > 0) && Date.now() < deadline) {
      await raw.send(framed('a', 'warm a'));
      await raw.send(framed('b', 'warm b'));
      await sleep(20);
    }
    await sleep(50);
    for (const sub of [onlyA, onlyB, all]) sub.payloads.length = 0;
    await raw.send(framed('b', 'to b'));
    await raw.send(framed('ab', 'to ab'));
    await raw.send(framed('a', 'to a'));
    await until(() => all.payloads.length === 3 && onlyA.payloads.length === 1 && onlyB.payloads.length === 1);
    await sleep(50);
    expect(onlyA.payloads).toEqual(['to a']);
    expect(onlyB.payloads).toEqual(['to b']);
    expect(all.payloads).toEqual(['to b', 'to ab', 'to a']);
  });

  it('reach several subscribers of the same topic', async () => {
    const port = await freePort();
    const pub = await openPublisher(`127.0.0.1:${port}`, { topic: 't' });
    const subs = await Promise.all([1, 2, 3].map(() => openSubscriber(`127.0.0.1:${port}`, { topic: 't' })));
    await warmUp(pub, subs);
    await pub.send?.(outbound('x'));
    await pub.send?.(outbound('y'));
    await until(() => subs.every((sub) => sub.payloads.length === 2));
    for (const sub of subs) expect(sub.payloads).toEqual(['x', 'y']);
  });

  it('swap bind and connect with is_binder and is_x_pub', async () => {
    const port = await freePort();
    const sub = await openSubscriber(`127.0.0.1:${port}`, { topic: 'a', is_binder: true });
    const pubA = await openPublisher(`127.0.0.1:${port}`, { topic: 'a', is_x_pub: true });
    const pubB = await openPublisher(`127.0.0.1:${port}`, { topic: 'b', is_x_pub: true });
    await warmUp(pubA, [sub]);
    await pubB.send?.(outbound('from b'));
    await pubA.send?.(outbound('from a'));
    await until(() => sub.payloads.length === 1);
    await sleep(50);
    expect(sub.payloads).toEqual(['from a']);
  });

  it('hand messages to the runner one at a time, in arrival order', async () => {
    const port = await freePort();
    const pub = await openPublisher(`127.0.0.1:${port}`);
    const seen: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const endpoint = await subscriber.create(
      testContext({
        addresses: { subscriber: `127.0.0.1:${port}` },
        creation: { on_new_message: () => {} },
        receive: async (frame) => {
          running += 1;
          maxRunning = Math.max(maxRunning, running);
          const payload = Buffer.from(frame).toString();
          seen.push(payload);
          await sleep(payload === 'first' ? 60 : 1);
          running -= 1;
          return undefined;
        },
      }),
    );
    cleanups.push(() => endpoint.close());
    await endpoint.open();
    await warmUp(pub, [{ endpoint, payloads: seen }]);
    for (const payload of ['first', 'second', 'third']) await pub.send?.(outbound(payload));
    await until(() => seen.length === 3);
    expect(seen).toEqual(['first', 'second', 'third']);
    expect(maxRunning).toBe(1);
  });

  it('stop handing messages to the runner once the subscriber is paused', async () => {
    const port = await freePort();
    const pub = await openPublisher(`127.0.0.1:${port}`);
    const sub = await openSubscriber(`127.0.0.1:${port}`);
    await warmUp(pub, [sub]);
    await pub.send?.(outbound('before'));
    await until(() => sub.payloads.length === 1);
    await sub.endpoint.pause?.();
    await pub.send?.(outbound('after'));
    await sleep(100);
    expect(sub.payloads).toEqual(['before']);
  });

  it('wait wait_after_creation_s in open(), 0.15 s by default', async () => {
    expect(DEFAULT_WAIT_AFTER_CREATION_S).toBe(0.15);
    const endpoint = await publisher.create(testContext({ side: 'out', addresses: { publisher: `127.0.0.1:${await freePort()}` } }));
    cleanups.push(() => endpoint.close());
    const started = Date.now();
    await endpoint.open();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('close twice, refuse to send after close, and close while a handler never settles', async () => {
    const port = await freePort();
    const pub = await openPublisher(`127.0.0.1:${port}`);
    let hung = false;
    const sub = await subscriber.create(
      testContext({
        addresses: { subscriber: `127.0.0.1:${port}` },
        creation: { on_new_message: () => {} },
        receive: () => {
          hung = true;
          return new Promise(() => {});
        },
      }),
    );
    cleanups.push(() => sub.close());
    await sub.open();
    const deadline = Date.now() + 5000;
    while (!hung && Date.now() < deadline) {
      await pub.send?.(outbound('hang'));
      await sleep(20);
    }
    expect(hung).toBe(true);
    await sub.close();
    await sub.close();
    await pub.close();
    await pub.close();
    await expect(pub.send?.(outbound('late'))).rejects.toMatchObject({ code: 'SF_CONNECTION_CLOSED' });
  });

  it('free a bound port by the time close() resolves', async () => {
    const port = await freePort();
    for (let round = 0; round < 5; round++) {
      const pub = await openPublisher(`127.0.0.1:${port}`);
      await pub.close();
      const sub = await openSubscriber(`127.0.0.1:${port}`, { is_binder: true });
      await sub.endpoint.close();
    }
  });

  it('fail to open on an address in use, naming the model and the address', async () => {
    const port = await freePort();
    const holder = await listen(port);
    cleanups.push(() => new Promise((resolve) => holder.close(resolve)));
    const pub = await publisher.create(testContext({ name: 'ticks', side: 'out', addresses: { publisher: `127.0.0.1:${port}` } }));
    await expect(pub.open()).rejects.toThrow(
      /Cannot bind tcp:\/\/127\.0\.0\.1:\d+ \(connections\.out\.ticks\.publisher\): address already in use/,
    );
    const sub = await subscriber.create(
      testContext({ name: 'ticks_in', addresses: { subscriber: `127.0.0.1:${port}` }, creation: { is_binder: true } }),
    );
    await expect(sub.open()).rejects.toMatchObject({ code: 'SF_BIND_FAILED' });
    await expect(sub.open()).rejects.toThrow('connection_models.in.ticks_in');
  });
});

describe('high-water marks', () => {
  /** Messages of 1 KiB: a burst of them overflows ZeroMQ's default queues and the TCP buffers between. */
  const BURST = 20_000;
  const message = (n: number): string => `m${n}:`.padEnd(1024, '.');

  /** A publisher and a subscriber whose handler waits until `release()`: the burst piles up in the queues. */
  async function slowPair(marks: Record<string, number>, publisherCreation: Record<string, unknown> = {}) {
    const address = `127.0.0.1:${await freePort()}`;
    const { endpoint: pub, logs } = await openLoggingPublisher(address, { send_high_water_mark: marks.send, ...publisherCreation });
    let release = (): void => {};
    const hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    const sub = await openSubscriber(address, { receive_high_water_mark: marks.receive }, hold);
    await warmUp(pub, [sub]);
    for (let n = 0; n < BURST; n++) await pub.send?.(outbound(message(n)));
    release();
    return { pub, sub, logs };
  }

  const dropLines = (logs: LogLine[]) => logs.filter((line) => line.msg?.includes('dropped'));

  it('with marks 0 (no limit), a slow subscriber loses nothing of a burst, and no drop is logged', async () => {
    const { pub, sub, logs } = await slowPair({ send: 0, receive: 0 });
    await expect.poll(() => sub.payloads.length, { timeout: 30_000 }).toBe(BURST);
    expect(sub.payloads.every((payload, n) => payload === message(n))).toBe(true);
    await pub.close();
    expect(dropLines(logs)).toEqual([]);
  });

  it('with small marks, what a full queue cannot take is dropped, counted exactly and logged once, then in total at close', async () => {
    const { pub, sub, logs } = await slowPair({ send: 10, receive: 10 });
    // One warning while it happens (the next would come a minute later at the earliest).
    expect(dropLines(logs)).toEqual([
      expect.objectContaining({ level: 'warn', obj: expect.objectContaining({ send_high_water_mark: 10, dropped: 1 }) }),
    ]);
    await pub.close();
    const summary = dropLines(logs)[1]!;
    expect(summary.msg).toMatch(/^publisher dropped \d+ message\(s\) in all because a subscriber's queue was at send_high_water_mark 10/);
    const dropped = (summary.obj as { dropped: number }).dropped;
    expect(dropped).toBeGreaterThan(0);
    // Every message was either delivered, in order, or counted as dropped: none is lost silently.
    await expect.poll(() => sub.payloads.length, { timeout: 30_000 }).toBe(BURST - dropped);
    const numbers = sub.payloads.map((payload) => Number(payload.slice(1, payload.indexOf(':'))));
    expect(numbers.every((n, i) => i === 0 || n > numbers[i - 1]!)).toBe(true);
  });

  it('with count_drops: false, the publisher drops at the mark as plain ZeroMQ does: nothing counted or logged', async () => {
    const { pub, sub, logs } = await slowPair({ send: 10, receive: 10 }, { count_drops: false });
    await pub.close();
    // What got through arrives; the rest is gone without a word (what count_drops is for).
    await expect.poll(() => sub.payloads.length, { timeout: 30_000 }).toBeGreaterThan(0);
    await sleep(500);
    expect(sub.payloads.length).toBeLessThan(BURST);
    expect(dropLines(logs)).toEqual([]);
  });
});
