// A real `sf run` reader joining late a writer that numbers its publications but answers every
// snapshot request with current_num 0, as Python service_framework 0.0.3's delta_update_out does.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyDelta, type StateValue } from '../src/apply-delta.js';
import { FakeOut } from '../src/fake-out.fixture.js';
import { KEYS, seeded } from './fixtures/book-model.js';
import { FIXTURES, killAll, readJson, removeTempDirs, SfProcess, tempDir, waitFor, writeJson } from './sf-process.js';

const outs: FakeOut[] = [];

afterEach(async () => {
  await killAll();
  for (const out of outs.splice(0)) out.close();
  await removeTempDirs();
});

/** Publishes random book deltas numbered from `first`; its replyer answers with the current state at number 0. */
class UnnumberedWriter {
  state: StateValue = {};
  num = 0;
  published = 0;
  #running = true;
  readonly #done: Promise<void>;

  constructor(
    readonly out: FakeOut,
    first: number,
    seed: number,
  ) {
    this.num = first - 1;
    const random = seeded(seed);
    out.snapshot = { state: this.state, num: 0 };
    this.#done = (async () => {
      while (this.#running) {
        const delta: StateValue = { epoch: 'py', seq: this.num + 1 };
        for (let n = 0; n < 3; n++) delta[KEYS[Math.floor(random() * KEYS.length)]!] = random() < 0.2 ? null : Math.floor(random() * 1000);
        // 0.0.3 applies the update to the state it answers with, then publishes it with the caller's number.
        this.state = applyDelta(this.state, delta);
        this.num += 1;
        out.snapshot = { state: this.state, num: 0 };
        await out.publish(this.num, delta);
        this.published += 1;
        await new Promise((resolve) => setTimeout(resolve, 4));
      }
    })();
  }

  /** Stops publishing. */
  async stop(): Promise<void> {
    this.#running = false;
    await this.#done;
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

describe('a delta reader and a writer that answers snapshots with current_num 0 (Python 0.0.3)', () => {
  it('joined late, ends equal to the writer with a bounded number of snapshot requests, not one per publication', async () => {
    const dir = await tempDir();
    const out = await FakeOut.start();
    outs.push(out);
    const addresses = await writeJson(dir, 'reader-addresses.json', {
      states: { in: { book: { subscriber: out.addresses.subscriber, requester: out.addresses.requester } } },
    });
    const writer = new UnnumberedWriter(out, 1000, 3);
    await waitFor(() => writer.published >= 100, 'the writer to publish 100 updates', 5000);
    const path = join(dir, 'reader.json');
    const reader = new SfProcess('late reader', ['-s', join(FIXTURES, 'book-reader.ts'), '-a', addresses, '--out', path]);
    await reader.waitForLine(/\bready\b/);
    const atReady = writer.published;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await writer.stop();
    const followed = writer.published - atReady;
    const expected = canonical(writer.state);
    await waitFor(
      async () => canonical((await readJson<{ state: StateValue }>(path))?.state) === expected,
      "the reader to hold the writer's final state",
      10_000,
      reader,
    );
    // The first snapshot (asked before any publication) is taken at 0 and a gap follows; the second,
    // asked after publications, is current; then the reader follows (plus a check when publications stop).
    expect(followed, 'the writer kept publishing while the reader followed').toBeGreaterThan(150);
    expect(out.requests).toBeGreaterThanOrEqual(2);
    expect(out.requests).toBeLessThanOrEqual(6);
    const seen = (await readJson<{ seen: [string | null, number, string][] }>(path))!.seen;
    expect(seen.length, 'on_update ran as the reader followed the deltas').toBeGreaterThan(100);
  }, 30_000);
});
