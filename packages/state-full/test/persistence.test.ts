// A full_update_out with persist_file killed (SIGKILL) while values stream in, then started again on
// the same file: snapshot requests get the persisted value at once, and it is not published again.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal } from '@sf/core';
import { decodeReply, decodeRequest, encodeRequest, stripTopic, topicPrefix } from '@sf/core/plugin';
import { freePort, testContext } from '@sf/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { Request, Subscriber } from 'zeromq';
import { FullStore } from '../src/full-store.js';
import { killAll, SfProcess, TempFolder } from './sf-process.js';

const temp = new TempFolder();
const closing: Array<() => unknown> = [];

afterEach(async () => {
  for (const close of closing.splice(0)) await close();
  await killAll();
  await temp.remove();
});

/** Sends one request to a replyer on `port`; resolves to its return arguments (rejects after `timeoutMs`). */
async function ask(port: number, args: Record<string, unknown> = {}, timeoutMs = 5000): Promise<Record<string, unknown>> {
  const socket = new Request({ linger: 0, receiveTimeout: timeoutMs });
  try {
    socket.connect(`tcp://127.0.0.1:${port}`);
    await socket.send(encodeRequest({ args, workflow_id: 'test' }));
    const [frame] = await socket.receive();
    const reply = decodeReply(frame!);
    if (reply.error) throw new Error(`${reply.error.type}: ${reply.error.message}`);
    return reply.return_args ?? {};
  } finally {
    socket.close();
  }
}

function priced(version: number): Record<string, unknown> {
  return { version, price: new Decimal(version).plus('0.25'), tags: new Set([`v${version}`]) };
}

/** The versions published on `port` (topic `prices`), in arrival order; the socket stays up through restarts. */
function watchVersions(port: number): number[] {
  const socket = new Subscriber({ linger: 0 });
  closing.push(() => socket.close());
  socket.subscribe(Buffer.from(topicPrefix('prices')));
  socket.connect(`tcp://127.0.0.1:${port}`);
  const seen: number[] = [];
  void (async () => {
    for await (const [frame] of socket) seen.push(decodeRequest(stripTopic(frame!, topicPrefix('prices'))).args.version as number);
  })().catch(() => {});
  return seen;
}

describe('full state with persist_file between sf run processes', { timeout: 60_000 }, () => {
  it('serves the persisted value after SIGKILL mid-stream to a reader that stayed and to a late joiner, without publishing it again', async () => {
    const [set, publisher, snapshots, getA, getB] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const dir = await mkdtemp(join(tmpdir(), 'sf-full-persist-'));
    closing.push(() => rm(dir, { recursive: true, force: true }));
    const persist = join(dir, 'prices.sqlite');
    const writerFile = await temp.json('writer.json', {
      connections: { in: { set_prices: { replyer: `127.0.0.1:${set}` } } },
      states: { out: { prices: { publisher: `127.0.0.1:${publisher}`, replyer: `127.0.0.1:${snapshots}` } } },
    });
    const readerFile = async (getPort: number) =>
      temp.json(`reader-${getPort}.json`, {
        connections: { in: { get_states: { replyer: `127.0.0.1:${getPort}` } } },
        states: { in: { prices: { subscriber: `127.0.0.1:${publisher}`, requester: `127.0.0.1:${snapshots}` } } },
      });
    const startWriter = async () => {
      const writer = new SfProcess('writer', ['-s', 'writer.ts', '-a', writerFile, '--persist', persist]);
      await writer.ready();
      return writer;
    };
    const published = watchVersions(publisher);
    const first = await startWriter();
    const stayed = new SfProcess('reader A', ['-s', 'reader.ts', '-a', await readerFile(getA)]);
    await stayed.ready();

    // Values stream in, one request after another, until the writer dies under them.
    let acknowledged = 0;
    let attempted = 0;
    const stream = (async () => {
      for (let version = 1; ; version += 1) {
        attempted = version;
        await ask(set, priced(version), 1500);
        acknowledged = version;
      }
    })().catch(() => undefined);
    await expect.poll(() => acknowledged, { timeout: 15_000, interval: 5 }).toBeGreaterThanOrEqual(40);
    expect(await first.stop('SIGKILL')).toBeNull();
    await stream;

    const store = await FullStore.open(testContext({ name: 'prices', kind: 'state', side: 'out', addresses: {} }), persist, false);
    const persisted = decodeRequest(store.latest!).args.version as number;
    store.close();
    expect(persisted).toBeGreaterThanOrEqual(acknowledged);
    expect(persisted).toBeLessThanOrEqual(attempted);
    expect(
      published.every((version) => version <= persisted),
      'nothing was published that is not on disk',
    ).toBe(true);

    const seenBeforeRestart = published.length;
    const second = await startWriter();
    expect(second.lines.some((line) => line.includes('full_update_out: resumed the latest value from persist_file'))).toBe(true);
    const late = new SfProcess('reader B', ['-s', 'reader.ts', '-a', await readerFile(getB)]);
    await late.ready();
    expect(await ask(getB)).toEqual(priced(persisted));
    await expect.poll(async () => (await ask(getA)).version, { timeout: 10_000, interval: 50 }).toBe(persisted);
    expect(published.length, 'the restarted writer published nothing by itself').toBe(seenBeforeRestart);

    await ask(set, priced(persisted + 1));
    for (const port of [getA, getB])
      await expect.poll(async () => (await ask(port)).version, { timeout: 10_000, interval: 50 }).toBe(persisted + 1);
    const versionsA = stayed.lines.filter((line) => line.startsWith('on_update')).map((line) => Number(line.split(' ')[1]));
    expect(
      versionsA.every((version, index) => index === 0 || version >= versionsA[index - 1]!),
      `reader A went back: ${versionsA.join(',')}`,
    ).toBe(true);
    expect(late.lines.filter((line) => line.startsWith('on_update'))).toEqual([
      `on_update ${persisted} ${persisted}.25`,
      `on_update ${persisted + 1} ${persisted + 1}.25`,
    ]);
  });
});
