import type { Endpoint } from '@sf/core/plugin';
import { freePort, outbound, testContext } from '@sf/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { replyer } from './replyer.js';
import { requester } from './requester.js';

/**
 * A requester whose addresses file lists several replyer addresses (one per replica, issue #23):
 * it connects to all, spreads calls over the replicas that are up, skips one that is gone, and with
 * `idempotent` + `retries` a call caught on a replica that dies is answered by another.
 */
const cleanups: Array<() => unknown> = [];
const freePorts = async (count: number): Promise<number[]> => {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
};
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A replyer that answers `<name>:<request>`, or holds requests unanswered while `hold` is set. */
async function openReplica(port: number, name: string, state: { hold?: boolean } = {}): Promise<Endpoint> {
  const endpoint = await replyer.create(
    testContext({
      name: `replica_${name}`,
      addresses: { replyer: `127.0.0.1:${port}` },
      creation: { on_new_request: () => ({}) },
      receive: (frame) =>
        state.hold ? new Promise<Uint8Array | undefined>(() => undefined) : Buffer.concat([Buffer.from(`${name}:`), frame]),
    }),
  );
  cleanups.push(() => endpoint.close());
  await endpoint.open();
  return endpoint;
}

async function openRequester(ports: readonly number[], creation: Record<string, unknown> = {}): Promise<Endpoint> {
  const addresses = { requester: ports.map((port) => `127.0.0.1:${port}`) };
  const endpoint = await requester.create(testContext({ name: 'ask', side: 'out', addresses, creation }));
  cleanups.push(() => endpoint.close());
  await endpoint.open();
  return endpoint;
}

const who = (reply: unknown): string =>
  Buffer.from(reply as Uint8Array)
    .toString()
    .split(':')[0]!;

/** Sends `count` calls in turn and counts the answers by replica. */
async function spread(endpoint: Endpoint, count: number): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const name = who(await endpoint.send!(outbound(`q${i}`)));
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

/** Waits until both replicas answer (ZeroMQ connects in the background). */
async function bothConnected(endpoint: Endpoint): Promise<void> {
  for (let round = 0; round < 100; round++) {
    if (Object.keys(await spread(endpoint, 4)).length === 2) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the requester never reached both replicas');
}

describe('requester with several replyer addresses (replicas)', () => {
  it('spreads calls over every replica, one after the other', async () => {
    const [a, b] = await freePorts(2);
    await openReplica(a!, 'a');
    await openReplica(b!, 'b');
    const endpoint = await openRequester([a!, b!]);
    await bothConnected(endpoint);
    expect(await spread(endpoint, 20)).toEqual({ a: 10, b: 10 });
  });

  it('with concurrency, each socket reaches every replica', async () => {
    const [a, b] = await freePorts(2);
    await openReplica(a!, 'a');
    await openReplica(b!, 'b');
    const endpoint = await openRequester([a!, b!], { concurrency: 4 });
    await bothConnected(endpoint);
    const replies = await Promise.all(Array.from({ length: 40 }, (_, i) => endpoint.send!(outbound(`c${i}`))));
    const names = new Set(replies.map(who));
    expect(names).toEqual(new Set(['a', 'b']));
  });

  it('skips a replica that is gone: new calls all go to the one left', async () => {
    const [a, b] = await freePorts(2);
    await openReplica(a!, 'a');
    const gone = await openReplica(b!, 'b');
    const endpoint = await openRequester([a!, b!], { timeout_ms: 2000 });
    await bothConnected(endpoint);
    await gone.close();
    // ZeroMQ notices the closed connection at once (TCP reset); no call may wait for replica b.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await spread(endpoint, 10)).toEqual({ a: 10 });
  });

  it('with idempotent + retries, a call caught on a replica that stops answering is answered by another', async () => {
    const [a, b] = await freePorts(2);
    const stuck = { hold: false };
    await openReplica(a!, 'a');
    const silent = await openReplica(b!, 'b', stuck);
    const endpoint = await openRequester([a!, b!], { timeout_ms: 300, retries: 2, retry_backoff_ms: 10, idempotent: true });
    await bothConnected(endpoint);
    stuck.hold = true;
    // Replica b takes every other call and never answers it: each of those times out once, then
    // its retry goes out on a fresh socket; b is then closed, so the retry can only reach a.
    const calls = Array.from({ length: 4 }, (_, i) => endpoint.send!(outbound(`r${i}`)));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await silent.close();
    const answered = await Promise.all(calls);
    expect(answered.map(who)).toEqual(['a', 'a', 'a', 'a']);
  });
});
