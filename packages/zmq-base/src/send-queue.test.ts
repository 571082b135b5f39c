import { freePort } from '@sf/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { Pull, Push } from 'zeromq';
import { SendQueue } from './send-queue.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A Push socket bound on a free port with a small send high-water mark, and a Pull socket that has not read yet. */
async function blockedPair(): Promise<{ push: Push; pull: Pull }> {
  const port = await freePort();
  const push = new Push({ linger: 0, sendHighWaterMark: 5 });
  const pull = new Pull({ linger: 0, receiveHighWaterMark: 5 });
  cleanups.push(
    () => push.close(),
    () => pull.close(),
  );
  await push.bind(`tcp://127.0.0.1:${port}`);
  pull.connect(`tcp://127.0.0.1:${port}`);
  return { push, pull };
}

describe('SendQueue', () => {
  it('queues sends behind one that waits for the socket (no EBUSY) and delivers them all in order', async () => {
    const { push, pull } = await blockedPair();
    const queue = new SendQueue();
    // Far more than the high-water marks hold: ZeroMQ blocks until the receiver reads.
    const sends = Array.from({ length: 300 }, (_, n) => queue.send(push, Buffer.from(String(n))));
    const received: string[] = [];
    for (let n = 0; n < 300; n++) {
      const [frame] = await pull.receive();
      received.push(String(frame));
    }
    await Promise.all(sends);
    expect(received).toEqual(Array.from({ length: 300 }, (_, n) => String(n)));
    await expect(queue.settled()).resolves.toBeUndefined();
  });

  it('goes straight to the socket when nothing waits: the next send needs no earlier one to settle first', async () => {
    const { push, pull } = await blockedPair();
    const queue = new SendQueue();
    await queue.send(push, Buffer.from('one'));
    const [frame] = await pull.receive();
    expect(String(frame)).toBe('one');
    // settled() resolves at once when nothing is queued.
    let settled = false;
    void queue.settled().then(() => (settled = true));
    await Promise.resolve();
    await Promise.resolve();
    expect(settled).toBe(true);
  });

  it('passes a refused send on as a rejection, straight away or queued, and keeps sending the ones after it', async () => {
    const { push, pull } = await blockedPair();
    const queue = new SendQueue();
    const missing = undefined as unknown as Uint8Array;
    await expect(queue.send(push, missing)).rejects.toThrow('Message must be present');
    // 40 frames fill both high-water marks, so the refused one and the last wait in the queue.
    const sends = Array.from({ length: 40 }, (_, n) => queue.send(push, Buffer.from(String(n))));
    const refused = queue.send(push, missing);
    const last = queue.send(push, Buffer.from('last'));
    const received: string[] = [];
    for (let n = 0; n < 41; n++) received.push(String((await pull.receive())[0]));
    await expect(refused).rejects.toThrow('Message must be present');
    await Promise.all([...sends, last]);
    expect(received).toEqual([...Array.from({ length: 40 }, (_, n) => String(n)), 'last']);
  });

  it('keeps a refused send from letting a later one overtake a send that waits for the socket', async () => {
    // A Push socket with no peer yet: its first send waits for the socket, with nothing queued behind it.
    const port = await freePort();
    const push = new Push({ linger: 0 });
    const pull = new Pull({ linger: 0 });
    cleanups.push(
      () => push.close(),
      () => pull.close(),
    );
    await push.bind(`tcp://127.0.0.1:${port}`);
    const queue = new SendQueue();
    const first = queue.send(push, Buffer.from('first'));
    const refused = queue.send(push, undefined as unknown as Uint8Array);
    const last = queue.send(push, Buffer.from('last'));
    pull.connect(`tcp://127.0.0.1:${port}`);
    const received = [String((await pull.receive())[0]), String((await pull.receive())[0])];
    await expect(refused).rejects.toThrow('Message must be present');
    await Promise.all([first, last]);
    expect(received).toEqual(['first', 'last']);
  });
});
