// A delta_update_out with persist_file killed (SIGKILL) mid-stream and started again on the same
// file: it resumes the state and the numbering, and a reader that stayed up converges on it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeReply, encodeRequest } from '@sf/core/plugin';
import { freePort, testContext } from '@sf/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { Request, Subscriber } from 'zeromq';
import { applyDelta, type StateValue } from '../src/apply-delta.js';
import { DeltaStore } from '../src/delta-store.js';
import { decodePublication } from '../src/wire.js';
import { FIXTURES, killAll, readJson, removeTempDirs, SfProcess, tempDir, waitFor, writeJson } from './sf-process.js';

const sockets: { close(): void }[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  await killAll();
  await removeTempDirs();
});

/** Every publication number seen on `address`, in arrival order (the socket stays up through restarts). */
async function watchNumbers(address: string): Promise<number[]> {
  const socket = new Subscriber({ linger: 0 });
  sockets.push(socket);
  socket.subscribe();
  socket.connect(`tcp://${address}`);
  const nums: number[] = [];
  void (async () => {
    for await (const [frame] of socket) nums.push(decodePublication(frame!).num);
  })().catch(() => {});
  return nums;
}

async function askSnapshot(address: string): Promise<{ state: StateValue; current_num: number }> {
  const socket = new Request({ linger: 0, receiveTimeout: 5000 });
  sockets.push(socket);
  socket.connect(`tcp://${address}`);
  await socket.send(encodeRequest({ args: {}, workflow_id: 'test' }));
  const [frame] = await socket.receive();
  return decodeReply(frame!).return_args as { state: StateValue; current_num: number };
}

async function deltasIn(path: string): Promise<StateValue[]> {
  const text = await readFile(path, 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as StateValue);
}

function replay(deltas: readonly StateValue[]): StateValue {
  return deltas.reduce<StateValue>((state, delta) => applyDelta(state, delta), {});
}

function canonical(state: StateValue | undefined): string {
  return state === undefined
    ? 'undefined'
    : JSON.stringify(
        Object.keys(state)
          .sort()
          .map((key) => [key, state[key]]),
      );
}

describe('delta state with persist_file between sf run processes', () => {
  it('resumes after SIGKILL mid-stream with the same state and continuing numbers; a reader converges without seeing a restart', async () => {
    const dir = await tempDir();
    const [publisher, replyer] = [`127.0.0.1:${await freePort()}`, `127.0.0.1:${await freePort()}`];
    const writerAddresses = await writeJson(dir, 'writer-addresses.json', { states: { out: { book: { publisher, replyer } } } });
    const readerAddresses = await writeJson(dir, 'reader-addresses.json', {
      states: { in: { book: { subscriber: publisher, requester: replyer } } },
    });
    const persist = join(dir, 'book.sqlite');
    const writer = (epoch: string, seed: number, count: number, pacing: { batch: number; pause_ms: number }) => {
      const options = { out: join(dir, `${epoch}.json`), log: join(dir, `${epoch}.log`), persist, epoch, seed, count, ...pacing };
      const args = Object.entries(options).flatMap(([key, value]) => [`--${key}`, String(value)]);
      return new SfProcess(`writer ${epoch}`, ['-s', join(FIXTURES, 'durable-writer.ts'), '-a', writerAddresses, '-m', ...args]);
    };
    const nums = await watchNumbers(publisher);
    const reader = new SfProcess('reader', [
      '-s',
      join(FIXTURES, 'book-reader.ts'),
      '-a',
      readerAddresses,
      '--out',
      join(dir, 'reader.json'),
    ]);
    await reader.waitForLine(/\bready\b/);

    const first = writer('a', 11, 1_000_000, { batch: 50, pause_ms: 5 });
    await waitFor(() => (nums.at(-1) ?? 0) >= 2000, 'writer a to publish 2000 updates', 20_000, first);
    expect(await first.stop('SIGKILL')).toBeNull();
    const lastSeen = nums.at(-1)!;

    // What the file holds after the kill: every published update, and exactly the first `num` written.
    const store = await DeltaStore.open(testContext({ name: 'book', kind: 'state', side: 'out', addresses: {} }), persist, false);
    const { state: resumed, num } = store;
    store.close();
    const loggedA = await deltasIn(join(dir, 'a.log'));
    expect(num).toBeGreaterThanOrEqual(lastSeen);
    expect(loggedA.length).toBeGreaterThanOrEqual(num);
    expect(canonical(resumed)).toBe(canonical(replay(loggedA.slice(0, num))));

    // Slower, so the reader reconnects while writer b is still streaming and applies its deltas.
    const second = writer('b', 12, 1000, { batch: 20, pause_ms: 100 });
    await waitFor(async () => (await readJson(join(dir, 'b.json'))) !== undefined, 'writer b to finish', 30_000, second);
    const expected = replay([...loggedA.slice(0, num), ...(await deltasIn(join(dir, 'b.log')))]);
    expect(await askSnapshot(replyer)).toEqual({ state: expected, current_num: num + 1000 });

    await waitFor(
      async () => canonical((await readJson<{ state: StateValue }>(join(dir, 'reader.json')))?.state) === canonical(expected),
      'the reader to hold the final state',
      15_000,
      reader,
    );
    await waitFor(() => nums.at(-1) === num + 1000, 'the last publication', 5000);
    expect(
      nums.every((value, index) => index === 0 || value > nums[index - 1]!),
      'publication numbers only rise',
    ).toBe(true);
    expect(
      nums.filter((value) => value > num),
      'after the restart numbering continues at num + 1',
    ).toEqual(Array.from({ length: 1000 }, (_, index) => num + 1 + index));
    expect(reader.lines.filter((line) => /numbering started again|the out side restarted/.test(line))).toEqual([]);
    const seen = (await readJson<{ seen: [string, number, string][] }>(join(dir, 'reader.json')))!.seen;
    expect(seen.filter(([epoch]) => epoch === 'b').length, "the reader applied writer b's deltas").toBeGreaterThan(100);
    expect(seen.findIndex(([epoch]) => epoch === 'b')).toBeGreaterThan(seen.findLastIndex(([epoch]) => epoch === 'a'));
  }, 60_000);
});
