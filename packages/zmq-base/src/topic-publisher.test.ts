import { ValidationError } from '@sf/core';
import { framePayload, topicPrefix } from '@sf/core/plugin';
import { freePort, listen, sleep, testContext } from '@sf/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { Subscriber } from 'zeromq';
import { DEFAULT_WAIT_AFTER_CREATION_S, TopicPublisher, type TopicPublisherOptions } from './topic-publisher.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function publisherOn(port: number, creation: Record<string, unknown> = {}, options: Partial<TopicPublisherOptions> = {}): TopicPublisher {
  const context = testContext({
    name: 'ticks',
    side: 'out',
    addresses: { publisher: `127.0.0.1:${port}` },
    creation: { wait_after_creation_s: 0, ...creation },
  });
  const publisher = new TopicPublisher(context, { label: 'test publisher', ...options });
  cleanups.push(() => publisher.close());
  return publisher;
}

/** A raw subscriber to everything on `port` (connecting, or binding with `bind`) and the frames it got. */
async function rawSubscriber(port: number, bind = false): Promise<Buffer[]> {
  const socket = new Subscriber({ linger: 0 });
  cleanups.push(() => socket.close());
  socket.subscribe();
  if (bind) await socket.bind(`tcp://127.0.0.1:${port}`);
  else socket.connect(`tcp://127.0.0.1:${port}`);
  const frames: Buffer[] = [];
  void (async () => {
    for await (const [frame] of socket) if (frame) frames.push(frame);
  })().catch(() => {});
  return frames;
}

/** Sends `warm` until `frames` got one (slow joiner), then empties it. */
async function warmUp(publisher: TopicPublisher, frames: Buffer[]): Promise<void> {
  const deadline = Date.now() + 5000;
  while (frames.length === 0) {
    if (Date.now() > deadline) throw new Error('the subscriber never joined');
    await publisher.send(Buffer.from('warm'));
    await sleep(20);
  }
  await sleep(50);
  frames.length = 0;
}

const until = (check: () => boolean): Promise<void> => expect.poll(check, { timeout: 5000 }).toBe(true);

describe('TopicPublisher', () => {
  it('exposes msgpack(topic) as its prefix (empty without a topic) and sends whole frames as given', async () => {
    const [topicPort, plainPort] = [await freePort(), await freePort()];
    const withTopic = publisherOn(topicPort, { topic: 'prices' });
    const plain = publisherOn(plainPort);
    // fixstr header 0xa6 + "prices".
    expect(Buffer.from(withTopic.prefix)).toEqual(Buffer.concat([Buffer.from([0xa6]), Buffer.from('prices')]));
    expect(Buffer.from(withTopic.prefix)).toEqual(Buffer.from(topicPrefix('prices')));
    expect(plain.prefix.length).toBe(0);
    await withTopic.open();
    await plain.open();
    const [topicFrames, plainFrames] = [await rawSubscriber(topicPort), await rawSubscriber(plainPort)];
    await warmUp(withTopic, topicFrames);
    await warmUp(plain, plainFrames);
    await withTopic.send(framePayload(withTopic.prefix, Buffer.from('payload')));
    await plain.send(Buffer.from('payload'));
    await until(() => topicFrames.length === 1 && plainFrames.length === 1);
    expect(topicFrames[0]).toEqual(Buffer.concat([Buffer.from(topicPrefix('prices')), Buffer.from('payload')]));
    expect(plainFrames[0]?.toString()).toBe('payload');
  });

  it('refuses sends (and checkOpen throws) with SF_CONNECTION_CLOSED before open and after close', async () => {
    const port = await freePort();
    const publisher = publisherOn(port);
    expect(() => publisher.checkOpen()).toThrow(expect.objectContaining({ code: 'SF_CONNECTION_CLOSED' }));
    await expect(publisher.send(Buffer.from('early'))).rejects.toMatchObject({
      code: 'SF_CONNECTION_CLOSED',
      message: expect.stringContaining('The test publisher is not open'),
    });
    await publisher.open();
    expect(() => publisher.checkOpen()).not.toThrow();
    const frames = await rawSubscriber(port);
    await warmUp(publisher, frames);
    await publisher.send(Buffer.from('open'));
    await until(() => frames.length === 1);
    await publisher.close();
    expect(() => publisher.checkOpen()).toThrow(expect.objectContaining({ code: 'SF_CONNECTION_CLOSED' }));
    expect(frames.map(String)).toEqual(['open']);
  });

  it('sends in the order asked when sends overlap', async () => {
    const port = await freePort();
    const publisher = publisherOn(port, { send_high_water_mark: 10_000 });
    await publisher.open();
    const frames = await rawSubscriber(port);
    await warmUp(publisher, frames);
    await Promise.all(Array.from({ length: 500 }, (_, n) => publisher.send(Buffer.from(String(n)))));
    await until(() => frames.length === 500);
    expect(frames.map(String)).toEqual(Array.from({ length: 500 }, (_, n) => String(n)));
  });

  it('waits wait_after_creation_s in open(), 0.15 s by default, and rejects a negative one at construction', async () => {
    expect(DEFAULT_WAIT_AFTER_CREATION_S).toBe(0.15);
    const context = testContext({ side: 'out', addresses: { publisher: `127.0.0.1:${await freePort()}` } });
    const publisher = new TopicPublisher(context, { label: 'test publisher' });
    cleanups.push(() => publisher.close());
    const started = Date.now();
    await publisher.open();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(() => publisherOn(1, { wait_after_creation_s: -1 })).toThrow(ValidationError);
    expect(() => publisherOn(1, { wait_after_creation_s: -1 })).toThrow(/wait_after_creation_s/);
  });

  it('connects instead of binding with `connects`', async () => {
    const port = await freePort();
    const frames = await rawSubscriber(port, true);
    const publisher = publisherOn(port, {}, { connects: true });
    expect(publisher.address.endpoint).toBe(`tcp://127.0.0.1:${port}`);
    await publisher.open();
    await warmUp(publisher, frames);
    await publisher.send(Buffer.from('through'));
    await until(() => frames.length === 1);
    expect(frames[0]?.toString()).toBe('through');
  });

  it('closes twice, refuses sends and open() after close, and frees its port', async () => {
    const port = await freePort();
    const publisher = publisherOn(port);
    await publisher.open();
    await publisher.close();
    await publisher.close();
    await expect(publisher.send(Buffer.from('late'))).rejects.toMatchObject({ code: 'SF_CONNECTION_CLOSED' });
    await expect(publisher.open()).rejects.toThrow('Cannot open a test publisher after close (connections.out.ticks.publisher)');
    const again = publisherOn(port);
    await again.open();
  });

  it('fails to bind a port in use with SF_BIND_FAILED, and can try again', async () => {
    const port = await freePort();
    const holder = await listen(port);
    const publisher = publisherOn(port);
    await expect(publisher.open()).rejects.toThrow(
      /Cannot bind tcp:\/\/127\.0\.0\.1:\d+ \(connections\.out\.ticks\.publisher\): address already in use/,
    );
    await new Promise((resolve) => holder.close(resolve));
    await publisher.open();
  });

  it('with `bursts`, answers sends at once and close() in the same turn still sends the frames waiting for its end', async () => {
    const port = await freePort();
    const publisher = publisherOn(port, { topic: 'prices' }, { bursts: true });
    await publisher.open();
    const frames = await rawSubscriber(port);
    await warmUp(publisher, frames);
    // Fewer than a full burst, all answered within this turn: they wait for its end, and close()
    // (called in the same turn) must hand them over before it closes the socket.
    const sends = Array.from({ length: 10 }, (_, n) => publisher.send(framePayload(publisher.prefix, Buffer.from(String(n)))));
    await Promise.all(sends);
    await publisher.close();
    await until(() => frames.length === 10);
    expect(frames.map((frame) => frame.subarray(7).toString())).toEqual(Array.from({ length: 10 }, (_, n) => String(n)));
  });
});
