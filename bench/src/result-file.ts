/** How benchmark processes hand their figures to the harness: one JSON file each, written atomically. */
import { renameSync, writeFileSync } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { sleep } from './clock.js';

/** Writes `data` as JSON to `file` through a temporary file, so a reader never sees half of it. */
export function writeResult(file: string, data: unknown): void {
  writeFileSync(`${file}.tmp`, JSON.stringify(data));
  renameSync(`${file}.tmp`, file);
}

/** Reads the result in `file`, waiting up to `timeoutMs` for it to appear; `alive` false stops the wait early. */
export async function readResult<T>(file: string, timeoutMs: number, alive: () => boolean = () => true): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  const exists = () =>
    access(file).then(
      () => true,
      () => false,
    );
  for (;;) {
    // Read `alive` before looking, so a process that writes and then exits is never missed.
    const wasAlive = alive();
    if (await exists()) return JSON.parse(await readFile(file, 'utf8')) as T;
    if (!wasAlive) throw new Error(`${file} was not written: its process exited first`);
    if (Date.now() > deadline) throw new Error(`${file} was not written within ${timeoutMs} ms`);
    await sleep(25);
  }
}
