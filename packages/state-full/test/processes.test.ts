import { Decimal } from '@sf/core';
import { decodeReply, encodeRequest } from '@sf/core/plugin';
import { freePort } from '@sf/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { Request } from 'zeromq';
import { killAll, type SfProcess, startService, TempFolder } from './sf-process.js';

// Real `sf run` processes (test/fixtures/writer.ts and reader.ts) talking over loopback TCP.

const temp = new TempFolder();

afterEach(async () => {
  await killAll();
  await temp.remove();
});

/** Ports of one writer (its `set_prices` replyer, state publisher and snapshot replyer). */
interface WriterPorts {
  set: number;
  publisher: number;
  snapshots: number;
}

async function writerPorts(): Promise<WriterPorts> {
  return { set: await freePort(), publisher: await freePort(), snapshots: await freePort() };
}

async function startWriter(ports: WriterPorts): Promise<SfProcess> {
  const file = await temp.json(`writer-${ports.set}.json`, {
    connections: { in: { set_prices: { replyer: `127.0.0.1:${ports.set}` } } },
    states: { out: { prices: { publisher: `127.0.0.1:${ports.publisher}`, replyer: `127.0.0.1:${ports.snapshots}` } } },
  });
  const writer = startService('writer.ts', file);
  await writer.ready();
  return writer;
}

/** Starts a reader whose `get_states` replyer listens on `getPort`; `snapshots: false` leaves out the requester. */
async function startReader(ports: WriterPorts, getPort: number, snapshots = true): Promise<SfProcess> {
  const prices: Record<string, string> = { subscriber: `127.0.0.1:${ports.publisher}` };
  if (snapshots) prices.requester = `127.0.0.1:${ports.snapshots}`;
  const file = await temp.json(`reader-${getPort}.json`, {
    connections: { in: { get_states: { replyer: `127.0.0.1:${getPort}` } } },
    states: { in: { prices } },
  });
  const reader = startService('reader.ts', file);
  await reader.ready();
  return reader;
}

/** Sends one request to a service's replyer on `port` and resolves to its return arguments. */
async function ask(port: number, args: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const socket = new Request({ linger: 0, receiveTimeout: 5000 });
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

/** Asks the writer to publish `version`, with a price derived from it. */
function publish(ports: WriterPorts, version: number): Promise<Record<string, unknown>> {
  return ask(ports.set, { version, price: new Decimal(version).plus('0.25'), tags: new Set([`v${version}`]) });
}

/** Polls a reader's `states.prices` until its version is `version`. */
async function versionOf(getPort: number, version: number): Promise<void> {
  await expect.poll(async () => (await ask(getPort)).version, { timeout: 10_000, interval: 50 }).toBe(version);
}

// Each test starts several `sf run` processes: vitest's default 5 s is too tight on a loaded machine.
describe('full state between sf run processes', { timeout: 30_000 }, () => {
  it('show a late joiner the current value as soon as it is ready', async () => {
    const ports = await writerPorts();
    await startWriter(ports);
    await publish(ports, 1);
    await publish(ports, 2);
    const getPort = await freePort();
    const reader = await startReader(ports, getPort);
    expect(await ask(getPort)).toEqual({ version: 2, price: new Decimal('2.25'), tags: new Set(['v2']) });
    await reader.waitForLine(/on_update 2 2\.25/);
    expect(reader.lines.filter((line) => line.startsWith('on_update'))).toEqual(['on_update 2 2.25']);
  });

  it('without a requester, know nothing until the next publication', async () => {
    const ports = await writerPorts();
    await startWriter(ports);
    await publish(ports, 1);
    const getPort = await freePort();
    await startReader(ports, getPort, false);
    expect(await ask(getPort)).toEqual({});
    await publish(ports, 2);
    await versionOf(getPort, 2);
  });

  it('converge after the out side restarts', async () => {
    const ports = await writerPorts();
    const getPort = await freePort();
    const reader = await startReader(ports, getPort);
    const first = await startWriter(ports);
    await publish(ports, 1);
    await versionOf(getPort, 1);
    await first.stop('SIGKILL');
    expect(await ask(getPort)).toMatchObject({ version: 1 });
    await startWriter(ports);
    await publish(ports, 2);
    await versionOf(getPort, 2);
    await reader.waitForLine(/on_update 2 2\.25/);
    expect(reader.lines.filter((line) => /\b(ERROR|FATAL)\b/.test(line))).toEqual([]);
  });

  it('reach an in side that missed the publication of a restarted out side, through the reconnect snapshot', async () => {
    const ports = await writerPorts();
    const getPort = await freePort();
    const first = await startWriter(ports);
    const reader = await startReader(ports, getPort);
    await publish(ports, 1);
    await versionOf(getPort, 1);
    // Frozen, the reader cannot reconnect, so the new writer's publication reaches no subscriber.
    reader.child.kill('SIGSTOP');
    await first.stop('SIGKILL');
    const second = await startWriter(ports);
    await publish(ports, 7);
    await second.waitForLine(/writer published 7/);
    reader.child.kill('SIGCONT');
    await versionOf(getPort, 7);
    expect(reader.lines.filter((line) => line.startsWith('on_update'))).toEqual(['on_update 1 1.25', 'on_update 7 7.25']);
  });

  it('keep two in services on one out state in step', async () => {
    const ports = await writerPorts();
    await startWriter(ports);
    const [getA, getB] = [await freePort(), await freePort()];
    const readers = [await startReader(ports, getA), await startReader(ports, getB)];
    for (const version of [1, 2, 3]) await publish(ports, version);
    await versionOf(getA, 3);
    await versionOf(getB, 3);
    for (const reader of readers) await reader.waitForLine(/on_update 3 3\.25/);
    expect(await ask(getA)).toEqual(await ask(getB));
  });
});
