// A real `sf run` writer and reader of a 100,000-key delta state: the reader keeps up with one-key updates.
import { join } from 'node:path';
import { freePort } from '@sf/core/testing';
import { afterEach, expect, it } from 'vitest';
import { FIXTURES, killAll, readJson, removeTempDirs, SfProcess, tempDir, waitFor, writeJson } from './sf-process.js';

afterEach(async () => {
  await killAll();
  await removeTempDirs();
});

it('on a 100,000-key state the reader follows 5,000 one-key updates, and a value it kept stays as it was', async () => {
  const [keys, count] = [100_000, 5_000];
  const dir = await tempDir();
  const [publisher, replyer] = [`127.0.0.1:${await freePort()}`, `127.0.0.1:${await freePort()}`];
  const writerAddresses = await writeJson(dir, 'writer.json', { states: { out: { big: { publisher, replyer } } } });
  const readerAddresses = await writeJson(dir, 'reader.json', { states: { in: { big: { subscriber: publisher, requester: replyer } } } });
  const [readerOut, writerOut] = [join(dir, 'reader-out.json'), join(dir, 'writer-out.json')];
  const sizes = ['--keys', String(keys), '--count', String(count)];
  const reader = new SfProcess('reader', ['-s', join(FIXTURES, 'big-reader.ts'), '-a', readerAddresses, '--out', readerOut, ...sizes]);
  await reader.waitForLine(/\bready\b/);
  const writer = new SfProcess('writer', [
    '-s',
    join(FIXTURES, 'big-writer.ts'),
    '-a',
    writerAddresses,
    '-m',
    '--out',
    writerOut,
    ...sizes,
  ]);
  await waitFor(async () => (await readJson(writerOut)) !== undefined, 'the writer to send its updates', 60_000, writer);
  // Before this change the reader took ~100 ms per update at this size (over 8 minutes for these).
  await waitFor(async () => (await readJson(readerOut)) !== undefined, 'the reader to hold the last update', 60_000, reader);
  const result = await readJson<{ updates: number; final: boolean; firstKept: boolean }>(readerOut);
  expect(result).toMatchObject({ final: true, firstKept: true });
  expect(result?.updates).toBeGreaterThan(1);
}, 180_000);
