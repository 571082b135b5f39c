import { freePort } from '@sf/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { Publisher, Pull, Push, Subscriber } from 'zeromq';
import { BURST_FRAMES, BurstSender, FRAMES_PER_TURN } from './burst-sender.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A Push socket bound on a free port with the given send high-water mark, and a Pull socket connected to it (handshake done). */
async function pushPull(sendHighWaterMark: number): Promise<{ push: Push; pull: Pull }> {
  const port = await freePort();
  const push = new Push({ linger: 0, sendHighWaterMark });
  const pull = new Pull({ linger: 0, receiveHighWaterMark: sendHighWaterMark });
  cleanups.push(
    () => push.close(),
    () => pull.close(),
  );
  // The handshake, not just the TCP accept: a Push socket routes to a peer only after it, and a send with sendTimeout 0 fails before.
  const accepted = new Promise((resolve) => push.events.on('handshake', resolve));
  await push.bind(`tcp://127.0.0.1:${port}`);
  pull.connect(`tcp://127.0.0.1:${port}`);
  await accepted;
  return { push, pull };
}

/** The first `count` frames' leading text (up to a NUL byte). */
async function receiveAll(pull: Pull, count: number): Promise<string[]> {
  const received: string[] = [];
  for (let n = 0; n < count; n++) received.push(String((await pull.receive())[0]).split('\0')[0]!);
  return received;
}

const numbered = (count: number, from = 0): string[] => Array.from({ length: count }, (_, n) => String(from + n));

/** `socket`, with a count of the sends it was handed (everything else goes to the real socket). */
function counted<S extends Push | Publisher>(socket: S): { socket: S; sends: () => number } {
  let sends = 0;
  const proxy = new Proxy(socket, {
    get(target, property) {
      if (property !== 'send') return Reflect.get(target, property, target);
      return (message: Uint8Array) => {
        sends += 1;
        return target.send(message);
      };
    },
  });
  return { socket: proxy, sends: () => sends };
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function unexpected(error: unknown): never {
  throw error;
}

describe('BurstSender', () => {
  it('answers a send at once and hands the frames of one turn to the socket at its end, in order', async () => {
    const { push, pull } = await pushPull(1000);
    const { socket, sends } = counted(push);
    const burst = new BurstSender(socket, unexpected);
    await Promise.all(numbered(10).map((text) => burst.send(Buffer.from(text))));
    // Every sender was answered, yet nothing went to the socket: the frames wait for the end of this turn.
    expect(sends()).toBe(0);
    await nextTurn();
    expect(sends()).toBe(10);
    expect(await receiveAll(pull, 10)).toEqual(numbered(10));
  });

  it('hands a full burst over without waiting for the end of the turn', async () => {
    const { push, pull } = await pushPull(1000);
    const { socket, sends } = counted(push);
    const burst = new BurstSender(socket, unexpected);
    for (const text of numbered(BURST_FRAMES + 1)) await burst.send(Buffer.from(text));
    // Still the same turn (only microtasks ran): the full burst went, the frame after it waits.
    expect(sends()).toBe(BURST_FRAMES);
    await nextTurn();
    expect(sends()).toBe(BURST_FRAMES + 1);
    expect(await receiveAll(pull, BURST_FRAMES + 1)).toEqual(numbered(BURST_FRAMES + 1));
  });

  it.each(['send', 'sendNow'] as const)('lets timers run in a loop that awaits each %s and never yields otherwise', async (method) => {
    const { push, pull } = await pushPull(0);
    // As on a publisher: every send completes at once, so zeromq.js never defers one itself.
    push.sendTimeout = 0;
    const { socket, sends } = counted(push);
    const burst = new BurstSender(socket, unexpected);
    let timerRan = false;
    setTimeout(() => {
      timerRan = true;
    }, 0);
    const total = FRAMES_PER_TURN * 4;
    let sentBeforeTimer = 0;
    for (let n = 0; n < total; n++) {
      await burst[method](Buffer.from(String(n)));
      // sendNow hands each frame over at once.
      if (method === 'sendNow') expect(sends()).toBe(n + 1);
      if (!timerRan) sentBeforeTimer += 1;
    }
    expect(timerRan).toBe(true);
    expect(sentBeforeTimer).toBeLessThan(total);
    expect(await receiveAll(pull, total)).toEqual(numbered(total));
  });

  it('waits for the socket when it does not take sends at once, and delivers every frame in order', async () => {
    // High-water marks of 5 on both sides and 64 KiB frames: the socket blocks once the TCP
    // buffers are full, long before 300 frames (19 MiB) are out.
    const { push, pull } = await pushPull(5);
    const burst = new BurstSender(push, unexpected);
    const frame = (text: string): Buffer => Buffer.concat([Buffer.from(`${text}\0`), Buffer.alloc(64 * 1024)]);
    let answered = 0;
    const sends = numbered(300).map((text) =>
      burst.send(frame(text)).then(() => {
        answered += 1;
      }),
    );
    await nextTurn();
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The socket blocked: the senders queued behind it are not answered before the receiver reads.
    expect(answered).toBeGreaterThan(0);
    expect(answered).toBeLessThan(300);
    const received = await receiveAll(pull, 300);
    await Promise.all(sends);
    expect(received).toEqual(numbered(300));
  });

  it('settled() hands over what waits for the end of the turn and resolves once ZeroMQ took it', async () => {
    const port = await freePort();
    const publisher = new Publisher({ linger: 0 });
    const subscriber = new Subscriber({ linger: 0 });
    cleanups.push(
      () => publisher.close(),
      () => subscriber.close(),
    );
    await publisher.bind(`tcp://127.0.0.1:${port}`);
    subscriber.connect(`tcp://127.0.0.1:${port}`);
    subscriber.subscribe();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const { socket, sends } = counted(publisher);
    const burst = new BurstSender(socket, unexpected);
    void burst.send(Buffer.from('a'));
    void burst.send(Buffer.from('b'));
    const settled = burst.settled();
    // Handed over by settled() itself, not by the end of the turn.
    expect(sends()).toBe(2);
    await settled;
    const received = [String((await subscriber.receive())[0]), String((await subscriber.receive())[0])];
    expect(received).toEqual(['a', 'b']);
  });

  it('reports a frame refused after its sender was answered to the failed callback, and sends the others', async () => {
    const { push, pull } = await pushPull(1000);
    const failures: unknown[] = [];
    const burst = new BurstSender(push, (error) => failures.push(error));
    await burst.send(Buffer.from('before'));
    await burst.send(undefined as unknown as Uint8Array);
    await burst.send(Buffer.from('after'));
    await burst.settled();
    expect(await receiveAll(pull, 2)).toEqual(['before', 'after']);
    expect(failures).toHaveLength(1);
    expect(String(failures[0])).toContain('Message must be present');
  });

  it('leaves the errors its absorbs option takes to it: they reject no sender and never reach failed', async () => {
    const { push, pull } = await pushPull(1000);
    const failures: unknown[] = [];
    const absorbed: unknown[] = [];
    const absorbs = (error: unknown): boolean => {
      absorbed.push(error);
      return true;
    };
    const burst = new BurstSender(push, (error) => failures.push(error), { absorbs });
    await burst.send(Buffer.from('before'));
    await burst.send(undefined as unknown as Uint8Array);
    // Handed over at once, so its own promise is the sender's: absorbed, it resolves.
    await expect(burst.sendNow(undefined as unknown as Uint8Array)).resolves.toBeUndefined();
    await burst.send(Buffer.from('after'));
    await burst.settled();
    expect(await receiveAll(pull, 2)).toEqual(['before', 'after']);
    expect(failures).toEqual([]);
    expect(absorbed).toHaveLength(2);
  });
});
