// Real `sf run` processes replicating the `book` delta state over loopback (fixtures in ./fixtures).
import { join } from 'node:path';
import { freePort } from '@sf/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURES, killAll, readJson, removeTempDirs, SfProcess, tempDir, waitFor, writeJson } from './sf-process.js';

/** What book-writer.ts writes once its stream ends. */
interface WriterOut {
  epoch: string;
  num: number;
  state: Record<string, unknown>;
  hashes: string[];
}

/** What book-reader.ts writes after each burst of updates. */
interface ReaderOut {
  seen: [epoch: string | null, seq: number, hash: string][];
  notLatest: number;
  state: Record<string, unknown>;
}

const EMPTY_HASH = '0000000000000000';

afterEach(async () => {
  await killAll();
  await removeTempDirs();
});

/** Ports and addresses files for one book state. */
async function bookAddresses(dir: string): Promise<{ writer: string; reader: string }> {
  const [publisher, replyer] = [`127.0.0.1:${await freePort()}`, `127.0.0.1:${await freePort()}`];
  return {
    writer: await writeJson(dir, 'writer-addresses.json', { states: { out: { book: { publisher, replyer } } } }),
    reader: await writeJson(dir, 'reader-addresses.json', { states: { in: { book: { subscriber: publisher, requester: replyer } } } }),
  };
}

function startWriter(addresses: string, out: string, options: Record<string, string | number>): SfProcess {
  const args = Object.entries({ out, ...options }).flatMap(([key, value]) => [`--${key}`, String(value)]);
  return new SfProcess(`writer ${options.epoch}`, ['-s', join(FIXTURES, 'book-writer.ts'), '-a', addresses, '-m', ...args]);
}

async function startReader(name: string, addresses: string, out: string, extra: string[] = []): Promise<SfProcess> {
  const reader = new SfProcess(name, ['-s', join(FIXTURES, 'book-reader.ts'), '-a', addresses, '--out', out, ...extra]);
  await reader.waitForLine(/\bready\b/);
  return reader;
}

/** Waits for the writer's stream to end and returns what it wrote. */
async function writerDone(writer: SfProcess, path: string): Promise<WriterOut> {
  await waitFor(async () => (await readJson(path)) !== undefined, `${writer.name} to finish its stream`, 30_000, writer);
  return (await readJson<WriterOut>(path))!;
}

/** Waits until the reader holds exactly the writer's final state. */
async function converged(reader: SfProcess, path: string, final: WriterOut): Promise<ReaderOut> {
  const expected = canonical(final.state);
  await waitFor(
    async () => canonical((await readJson<ReaderOut>(path))?.state) === expected,
    `${reader.name} to hold ${final.epoch}'s final state`,
    15_000,
    reader,
  );
  return (await readJson<ReaderOut>(path))!;
}

/**
 * Every value the reader's on_update saw is the state some writer had at that number (the empty
 * state for none), runs appear in `order`, numbers rise within a run, and `states.book` was always
 * the value passed to on_update.
 */
function expectOnlyWriterStates(reader: ReaderOut, writers: Record<string, WriterOut>, order: string[]): void {
  expect(reader.notLatest).toBe(0);
  let run = 0;
  let lastSeq = -1;
  for (const [epoch, seq, hash] of reader.seen) {
    if (epoch === null) {
      expect(hash, 'a value without epoch must be the empty state').toBe(EMPTY_HASH);
      continue;
    }
    const at = order.indexOf(epoch);
    expect(at, `epoch ${epoch} out of order`).toBeGreaterThanOrEqual(run);
    if (at > run) lastSeq = -1;
    run = at;
    expect(seq, `${epoch} num ${seq} after ${lastSeq}`).toBeGreaterThan(lastSeq);
    lastSeq = seq;
    expect(hash, `value seen at ${epoch} num ${seq} is not the writer's state at that number`).toBe(writers[epoch]!.hashes[seq]);
  }
}

function canonical(state: Record<string, unknown> | undefined): string {
  if (state === undefined) return 'undefined';
  return JSON.stringify(
    Object.keys(state)
      .sort()
      .map((key) => [key, state[key]]),
  );
}

/** How many times the numbers a reader saw skip (updates it never saw, covered by a snapshot). */
function skips(reader: ReaderOut): number {
  const seqs = reader.seen.filter(([epoch]) => epoch !== null).map(([, seq]) => seq);
  return seqs.filter((seq, index) => index > 0 && seq !== seqs[index - 1]! + 1).length;
}

describe('delta state between sf run processes', () => {
  it('converges after 10,000 random deltas with updates lost (tiny high-water mark, a reader restarted mid-stream), exposing only states the writer had', async () => {
    const dir = await tempDir();
    const addresses = await bookAddresses(dir);
    const steady = await startReader('reader A', addresses.reader, join(dir, 'a.json'));
    const restarted = await startReader('reader B', addresses.reader, join(dir, 'b1.json'));
    const writer = startWriter(addresses.writer, join(dir, 'writer.json'), {
      epoch: 'a',
      seed: 42,
      count: 10_000,
      send_high_water_mark: 5,
    });
    await waitFor(
      async () => ((await readJson<ReaderOut>(join(dir, 'b1.json')))?.seen.at(-1)?.[1] ?? 0) >= 2500,
      'reader B to pass num 2500',
      20_000,
      restarted,
    );
    expect(await restarted.stop('SIGKILL')).toBeNull();
    const again = await startReader('reader B again', addresses.reader, join(dir, 'b2.json'));
    const final = await writerDone(writer, join(dir, 'writer.json'));
    expect(final.num).toBe(10_000);
    expect(final.hashes).toHaveLength(10_001);

    const a = await converged(steady, join(dir, 'a.json'), final);
    const b2 = await converged(again, join(dir, 'b2.json'), final);
    const b1 = (await readJson<ReaderOut>(join(dir, 'b1.json')))!;
    for (const reader of [a, b1, b2]) expectOnlyWriterStates(reader, { a: final }, ['a']);
    expect(skips(a), 'reader A lost no update: the high-water mark did not bite').toBeGreaterThan(0);
    expect(steady.lines.some((line) => line.includes('delta state: resyncing'))).toBe(true);
    expect(b2.seen[0]![1], 'reader B joined again mid-stream').toBeGreaterThan(2500);
  }, 45_000);

  it('keeps several readers on one state under a topic, and a late joiner starts from the current state', async () => {
    const dir = await tempDir();
    const addresses = await bookAddresses(dir);
    const readers = await Promise.all(
      [1, 2, 3].map((n) => startReader(`reader ${n}`, addresses.reader, join(dir, `r${n}.json`), ['--topic', 'book'])),
    );
    const writer = startWriter(addresses.writer, join(dir, 'writer.json'), { epoch: 't', seed: 7, count: 1500, topic: 'book', wait_s: 2 });
    const final = await writerDone(writer, join(dir, 'writer.json'));
    const late = await startReader('late reader', addresses.reader, join(dir, 'late.json'), ['--topic', 'book']);
    const results = await Promise.all(readers.map((reader, index) => converged(reader, join(dir, `r${index + 1}.json`), final)));
    for (const result of results) {
      expectOnlyWriterStates(result, { t: final }, ['t']);
      expect(result.seen.length, 'a reader followed the deltas under its topic').toBeGreaterThan(100);
    }
    const joined = await converged(late, join(dir, 'late.json'), final);
    expect(joined.seen).toEqual([['t', 1500, final.hashes[1500]]]);
  }, 30_000);

  it('follows a writer that restarted (numbering from 1 again) to its new state', async () => {
    const dir = await tempDir();
    const addresses = await bookAddresses(dir);
    const reader = await startReader('reader', addresses.reader, join(dir, 'reader.json'));
    const first = startWriter(addresses.writer, join(dir, 'first.json'), { epoch: 'first', seed: 1, count: 800 });
    const before = await writerDone(first, join(dir, 'first.json'));
    await converged(reader, join(dir, 'reader.json'), before);
    expect(await first.stop('SIGTERM')).toBe(0);
    const second = startWriter(addresses.writer, join(dir, 'second.json'), { epoch: 'second', seed: 2, count: 300 });
    const after = await writerDone(second, join(dir, 'second.json'));
    const seen = await converged(reader, join(dir, 'reader.json'), after);
    expectOnlyWriterStates(seen, { first: before, second: after }, ['first', 'second']);
    expect(seen.seen.some(([epoch]) => epoch === 'first')).toBe(true);
  }, 30_000);

  it('replicates Decimal, set, UUID, Date and bytes values exactly, by delta and by snapshot', async () => {
    const dir = await tempDir();
    const [publisher, replyer] = [`127.0.0.1:${await freePort()}`, `127.0.0.1:${await freePort()}`];
    const writerAddresses = await writeJson(dir, 'w.json', { states: { out: { quote: { publisher, replyer } } } });
    const readerAddresses = await writeJson(dir, 'r.json', { states: { in: { quote: { subscriber: publisher, requester: replyer } } } });
    const startTyped = (name: string, out: string) =>
      new SfProcess(name, ['-s', join(FIXTURES, 'typed-reader.ts'), '-a', readerAddresses, '--out', join(dir, out)]).waitForLine(
        /\bready\b/,
      );
    await startTyped('typed reader', 'early.json');
    const writer = new SfProcess('typed writer', [
      '-s',
      join(FIXTURES, 'typed-writer.ts'),
      '-a',
      writerAddresses,
      '-m',
      '--hold_ms',
      '20000',
    ]);
    const complete = {
      price: 'Decimal 1.50',
      tags: 'Set a,b',
      id: 'UUID 123e4567-e89b-12d3-a456-426614174000',
      at: 'Date 2024-05-06T07:08:09.123Z',
      blob: 'Uint8Array 0001feff',
    };
    const early = join(dir, 'early.json');
    await waitFor(
      async () => JSON.stringify((await readJson<unknown[]>(early))?.at(-1)) === JSON.stringify(complete),
      'the early reader to hold the whole quote',
      15_000,
      writer,
    );
    await startTyped('late typed reader', 'late.json');
    await waitFor(async () => (await readJson(join(dir, 'late.json'))) !== undefined, 'the late reader to take the snapshot', 10_000);
    expect(await readJson(join(dir, 'late.json'))).toEqual([complete]);
  }, 30_000);
});
