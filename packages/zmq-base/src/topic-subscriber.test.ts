import { topicPrefix } from '@sf/core/plugin';
import { freePort, listen, sleep, type TestContext, testContext } from '@sf/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { Publisher } from 'zeromq';
import { TopicSubscriber, type TopicSubscriberOptions } from './topic-subscriber.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A subscriber on `port` and the payloads it handed on, as strings. */
interface Opened {
  subscriber: TopicSubscriber;
  context: TestContext;
  payloads: string[];
}

async function openSubscriber(
  port: number,
  creation: Record<string, unknown> = {},
  options: Partial<TopicSubscriberOptions> = {},
): Promise<Opened> {
  const payloads: string[] = [];
  const context = testContext({ name: 'ticks', addresses: { subscriber: `127.0.0.1:${port}` }, creation });
  const deliver = async (payload: Uint8Array) => {
    payloads.push(Buffer.from(payload).toString());
  };
  const subscriber = new TopicSubscriber(context, { label: 'test subscriber', deliver, ...options });
  cleanups.push(() => subscriber.close());
  await subscriber.open();
  return { subscriber, context, payloads };
}

async function rawPublisher(port: number): Promise<Publisher> {
  const socket = new Publisher({ linger: 0 });
  cleanups.push(() => socket.close());
  await socket.bind(`tcp://127.0.0.1:${port}`);
  return socket;
}

const framed = (topic: string, payload: string): Buffer => Buffer.concat([Buffer.from(topicPrefix(topic)), Buffer.from(payload)]);

/** Publishes `send()` until every list of received payloads has one (slow joiners), then empties them. */
async function warmUp(send: () => Promise<void>, received: string[][]): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!received.every((payloads) => payloads.length > 0)) {
    if (Date.now() > deadline) throw new Error('subscribers never joined');
    await send();
    await sleep(20);
  }
  await sleep(50);
  for (const payloads of received) payloads.length = 0;
}

const until = (check: () => boolean): Promise<void> => expect.poll(check, { timeout: 5000 }).toBe(true);

describe('TopicSubscriber', () => {
  it('subscribes to msgpack(topic) and hands on the payload alone; without a topic it takes all, a leading topic skipped', async () => {
    const port = await freePort();
    const raw = await rawPublisher(port);
    const onA = await openSubscriber(port, { topic: 'a' });
    const all = await openSubscriber(port);
    await warmUp(() => raw.send(framed('a', 'warm')), [onA.payloads, all.payloads]);
    await raw.send(framed('b', 'to b'));
    await raw.send(framed('ab', 'to ab'));
    await raw.send(framed('a', 'to a'));
    await raw.send(Buffer.from('untopped'));
    await until(() => all.payloads.length === 4 && onA.payloads.length === 1);
    await sleep(50);
    expect(onA.payloads).toEqual(['to a']);
    expect(all.payloads).toEqual(['to b', 'to ab', 'to a', 'untopped']);
  });

  it('hands payloads on one at a time, in order; a failing delivery is logged and the next goes on', async () => {
    const port = await freePort();
    const raw = await rawPublisher(port);
    const seen: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const { context } = await openSubscriber(
      port,
      {},
      {
        deliver: async (payload) => {
          const text = Buffer.from(payload).toString();
          running += 1;
          maxRunning = Math.max(maxRunning, running);
          await sleep(text === 'first' ? 60 : 1);
          running -= 1;
          seen.push(text);
          if (text === 'second') throw new Error('handler broke');
        },
      },
    );
    await warmUp(() => raw.send('warm'), [seen]);
    for (const text of ['first', 'second', 'third']) await raw.send(text);
    await until(() => seen.length === 3);
    expect(seen).toEqual(['first', 'second', 'third']);
    expect(maxRunning).toBe(1);
    const failure = context.logs.find((line) => line.level === 'error');
    expect(failure?.msg).toBe('test subscriber failed to deliver a message');
    expect(failure?.obj).toMatchObject({ address: 'connections.in.ticks.subscriber' });
  });

  it('goes on at once after a synchronous delivery, and waits for one that returns a promise', async () => {
    const port = await freePort();
    const raw = await rawPublisher(port);
    const events: string[] = [];
    let release: (() => void) | undefined;
    await openSubscriber(
      port,
      {},
      {
        deliver: (payload) => {
          const text = Buffer.from(payload).toString();
          events.push(`start ${text}`);
          if (text !== 'slow') return undefined;
          return new Promise<void>((resolve) => {
            release = () => {
              events.push('end slow');
              resolve();
            };
          });
        },
      },
    );
    await warmUp(() => raw.send('warm'), [events]);
    for (const text of ['a', 'b', 'slow', 'c']) await raw.send(text);
    await until(() => events.includes('start slow'));
    await sleep(50);
    expect(events).toEqual(['start a', 'start b', 'start slow']);
    release?.();
    await until(() => events.length === 5);
    expect(events).toEqual(['start a', 'start b', 'start slow', 'end slow', 'start c']);
  });

  it('drops a message that is not exactly one frame, with a warning', async () => {
    const port = await freePort();
    const raw = await rawPublisher(port);
    const sub = await openSubscriber(port);
    await warmUp(() => raw.send('warm'), [sub.payloads]);
    await raw.send([Buffer.from('two'), Buffer.from('frames')]);
    await raw.send('one');
    await until(() => sub.payloads.length === 1);
    expect(sub.payloads).toEqual(['one']);
    expect(sub.context.logs.filter((line) => line.level === 'warn').map((line) => line.msg)).toEqual([
      'test subscriber dropped a message that is not exactly one frame',
    ]);
    expect(sub.context.rejects.map((reject) => reject.reason)).toEqual(['not_one_frame']);
  });

  it('stops handing on after pause; closes twice and refuses to open again', async () => {
    const port = await freePort();
    const raw = await rawPublisher(port);
    const sub = await openSubscriber(port);
    await warmUp(() => raw.send('warm'), [sub.payloads]);
    await raw.send('before');
    await until(() => sub.payloads.length === 1);
    await sub.subscriber.pause();
    await raw.send('after');
    await sleep(100);
    expect(sub.payloads).toEqual(['before']);
    await sub.subscriber.close();
    await sub.subscriber.close();
    await expect(sub.subscriber.open()).rejects.toMatchObject({
      code: 'SF_CONNECTION_CLOSED',
      message: expect.stringContaining('Cannot open a test subscriber after close (connections.in.ticks.subscriber)'),
    });
  });

  it('binds with `binds`, calls onConnectionChange after the handshake and on a lost connection, and frees the port on close', async () => {
    const port = await freePort();
    const connections: number[] = [];
    const sub = await openSubscriber(
      port,
      {},
      { binds: true, onConnectionChange: (connected, count) => connections.push(connected ? count : -count) },
    );
    const raw = new Publisher({ linger: 0 });
    cleanups.push(() => raw.close());
    raw.connect(`tcp://127.0.0.1:${port}`);
    await warmUp(() => raw.send('warm'), [sub.payloads]);
    expect(connections).toEqual([1]);
    raw.close();
    await expect.poll(() => connections, { timeout: 5000 }).toEqual([1, -1]);
    await sub.subscriber.close();
    const again = await openSubscriber(port, {}, { binds: true });
    await again.subscriber.close();
  });

  it('fails to bind a port in use with SF_BIND_FAILED naming the address, and can try again', async () => {
    const port = await freePort();
    const holder = await listen(port);
    const context = testContext({ name: 'ticks', addresses: { subscriber: `127.0.0.1:${port}` } });
    const sub = new TopicSubscriber(context, { label: 'test subscriber', deliver: async () => {}, binds: true });
    cleanups.push(() => sub.close());
    await expect(sub.open()).rejects.toMatchObject({
      code: 'SF_BIND_FAILED',
      message: expect.stringContaining('connections.in.ticks.subscriber'),
    });
    await new Promise((resolve) => holder.close(resolve));
    await sub.open();
  });
});
