// examples/nats-echo as real `sf run` processes: three replyer replicas on a three-node cluster.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NatsCluster, natsAvailability, type SfRunProcess, sfRun, startNatsCluster } from '../src/testing.js';

const here = dirname(fileURLToPath(import.meta.url));
const SF_BIN = join(here, '../../cli/dist/bin.js');
const EXAMPLE = join(here, '../../../examples/nats-echo');
const nats = natsAvailability();

const sfRunExample = (args: string[]) => sfRun(SF_BIN, EXAMPLE, args);

describe.skipIf(!nats.binary)(`examples/nats-echo with sf run${nats.skip}`, () => {
  let cluster: NatsCluster;
  let dir: string;
  const replicas: SfRunProcess[] = [];
  beforeAll(async () => {
    cluster = await startNatsCluster(nats.binary!, 3);
    dir = mkdtempSync(join(tmpdir(), 'sf-nats-echo-'));
  }, 90_000);
  afterAll(async () => {
    for (const replica of replicas) replica.child.kill('SIGKILL');
    await Promise.all(replicas.map((replica) => replica.exit));
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('splits the requests of the unchanged echo services over three replyer processes, one per server', async () => {
    const addresses = (n: number) => {
      const file = join(dir, `addresses-${n}.json`);
      const nats = { nats: cluster.nodes[n]!.url.replace('nats://', '') };
      writeFileSync(file, JSON.stringify({ connections: { in: { echo: nats }, out: { echo: nats } } }));
      return file;
    };
    for (let n = 0; n < 3; n++) replicas.push(sfRunExample(['-s', 'replyer.ts', '-a', addresses(n)]));
    // The replicas are up once the queue group has three members: until then, wait on their logs.
    const words = Array.from({ length: 30 }, (_, n) => `w${n}`);
    await expect
      .poll(() => replicas.every((replica) => /started|running|ready/i.test(replica.output.join(''))), { timeout: 60_000, interval: 200 })
      .toBe(true);
    const requester = sfRunExample(['-s', 'requester.ts', '-a', addresses(0), '-m', '--words', words.join(' ')]);
    const code = await requester.exit;
    const out = requester.output.join('');
    expect(code, out).toBe(0);
    const replies = [...out.matchAll(/echo: sent '(\w+)', got '(\w+)' \(#(\d+)\)/g)];
    expect(replies.map((reply) => reply[1])).toEqual(words);
    expect(replies.map((reply) => reply[2])).toEqual(words.map((word) => word.toUpperCase()));
    // Each replica counts its own requests from 1: three replicas that each answered some, three 1s.
    expect(replies.filter((reply) => reply[3] === '1')).toHaveLength(3);
  }, 120_000);
});
