import { decodeReply, encodeRequest } from '@sf/core';
import { afterEach } from 'vitest';
import {
  FramePublisher,
  freePorts,
  loopback,
  PipelinedRequester,
  RawRequester,
  SnapshotResponder,
  startSf,
  type TempFiles,
} from '../../src/index.js';

/**
 * The rig of the hostile-peer tests: an `sf run` of fixtures/fuzz-target.ts (a replyer `echo`, a
 * subscriber `feed`, a delta in-state `book`, and a `probe` replyer that tells what the other two
 * took in) with the test's own raw peers bound or connected to each endpoint.
 */
const cleanups: (() => unknown)[] = [];

/** Registers the rig's cleanup after each test; call once per test file. */
export function useRigCleanup(): void {
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
}

/** Starts the target and its peers; `extraArgs` go to `sf run`. */
export async function startRig(temp: TempFiles, extraArgs: readonly string[] = []) {
  const [echoPort, feedPort, bookPort, snapshotPort, probePort] = await freePorts(5);
  const addresses = await temp.addresses({
    connections: {
      in: { echo: { replyer: loopback(echoPort!) }, feed: { subscriber: loopback(feedPort!) }, probe: { replyer: loopback(probePort!) } },
    },
    states: { in: { book: { subscriber: loopback(bookPort!), requester: loopback(snapshotPort!) } } },
  });
  const feed = new FramePublisher();
  const book = new FramePublisher();
  const snapshots = new SnapshotResponder();
  cleanups.push(
    () => feed.close(),
    () => book.close(),
    () => snapshots.close(),
  );
  await feed.bind(feedPort!);
  await book.bind(bookPort!);
  snapshots.current = { state: { price: 1, qty: 1 }, num: 1 };
  await snapshots.bind(snapshotPort!);

  const target = startSf(['-s', 'fuzz-target.ts', '-a', addresses, ...extraArgs]);
  await target.ready();
  await Promise.all([feed.subscribed(), book.subscribed()]);
  const echo = new PipelinedRequester(echoPort!);
  const probe = new RawRequester(probePort!);
  cleanups.push(
    () => echo.close(),
    () => probe.close(),
  );
  return { target, echo, feed, book, snapshots, probe, ports: { echoPort: echoPort!, probePort: probePort! } };
}

/** A running rig. */
export type Rig = Awaited<ReturnType<typeof startRig>>;

/** Registers a cleanup that runs after the current test. */
export function onCleanup(cleanup: () => unknown): void {
  cleanups.push(cleanup);
}

/** What the probe replyer reports: the last feed number, how many feed messages were handled, the book as JSON. */
export async function probeOf(rig: Rig): Promise<{ feed: number; feeds: number; book: string }> {
  const reply = decodeReply(await rig.probe.request(encodeRequest({ args: {}, workflow_id: null })));
  return reply.return_args as { feed: number; feeds: number; book: string };
}

/** Reads until `done` holds; throws after `timeoutMs` with the last value. */
export async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
