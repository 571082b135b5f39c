// examples/nats-market-data as real `sf run` processes on a three-node cluster: the unchanged
// market-data services with their order book in KV buckets.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type NatsCluster, natsAvailability, type SfRunProcess, sfRun, startNatsCluster } from '@sf/conn-nats/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const SF_BIN = join(here, '../../cli/dist/bin.js');
const EXAMPLE = join(here, '../../../examples/nats-market-data');
const nats = natsAvailability();

describe.skipIf(!nats.binary)(`examples/nats-market-data with sf run${nats.skip}`, () => {
  let cluster: NatsCluster;
  let dir: string;
  const started: SfRunProcess[] = [];
  beforeAll(async () => {
    cluster = await startNatsCluster(nats.binary!, 3);
    dir = mkdtempSync(join(tmpdir(), 'sf-nats-market-'));
  }, 90_000);
  afterAll(async () => {
    for (const proc of started) proc.child.kill('SIGKILL');
    await Promise.all(started.map((proc) => proc.exit));
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** An addresses file pointing every model of the example at server `n`. */
  const addresses = (n: number) => {
    const at = { nats: cluster.nodes[n]!.url.replace('nats://', '') };
    const file = join(dir, `addresses-${n}.json`);
    const both = { out: { bids: at, asks: at }, in: { bids: at, asks: at } };
    writeFileSync(file, JSON.stringify({ states: both, connections: { out: { quote: at }, in: { quote: at } } }));
    return file;
  };
  const run = (args: string[]) => {
    const proc = sfRun(SF_BIN, EXAMPLE, args);
    started.push(proc);
    return proc;
  };

  it('the strategy on one server follows the book written on another and quotes from it; a strategy started later loads the same book', async () => {
    const strategy = run(['-s', 'strategy.ts', '-a', addresses(1)]);
    await expect.poll(() => strategy.output.join(''), { timeout: 60_000, interval: 200 }).toMatch(/\] ready\b/);
    const writer = run(['-s', 'market-data.ts', '-a', addresses(0), '-m']);
    const code = await writer.exit;
    const out = writer.output.join('');
    expect(code, out).toBe(0);
    // bids 64000.25 / 64000.00, asks 64000.75 / 64001.50 / 64002.00 once the deltas are in.
    expect(out).toContain('the strategy quotes mid 64000.5 (spread 0.5, 5 levels)');
    expect(strategy.output.join('')).toContain('strategy: best bid 64000.25');

    const late = run(['-s', 'strategy.ts', '-a', addresses(2)]);
    await expect.poll(() => late.output.join(''), { timeout: 60_000, interval: 200 }).toMatch(/best ask 64000\.75/);
    expect(late.output.join('')).toMatch(/best bid 64000\.25/);
  }, 120_000);
});
