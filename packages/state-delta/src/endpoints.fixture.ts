// Test helpers: real delta endpoints on free ports, raw peers to watch them, and cleanup.
import { decodeReply, type Endpoint, type OutboundMessage, encodeRequest } from '@sf/core/plugin';
import { freePort, Outbound, sleep, type TestContext, type TestContextOptions, testContext } from '@sf/core/testing';
import { expect } from 'vitest';
import { Request, Subscriber } from 'zeromq';
import { deltaUpdateIn } from './delta-in.js';
import { deltaUpdateOut } from './delta-out.js';

/** Cleanups run (in reverse) by each test file's afterEach. */
export const cleanups: Array<() => unknown> = [];

/** Runs and forgets every registered cleanup. */
export async function runCleanups(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

/** Two free ports as the out side's addresses. */
export async function outAddresses(): Promise<{ publisher: string; replyer: string }> {
  return { publisher: `127.0.0.1:${await freePort()}`, replyer: `127.0.0.1:${await freePort()}` };
}

/** The in side's addresses for an out side's. */
export function inAddresses(out: { publisher: string; replyer: string }): { subscriber: string; requester: string } {
  return { subscriber: out.publisher, requester: out.replyer };
}

/** An opened endpoint and its context. */
export interface Opened {
  /** The endpoint. */
  endpoint: Endpoint;
  /** Its test context (logs, updates). */
  context: TestContext;
}

/** Opens a `delta_update_out` named `book` on `addresses`, without the slow-joiner wait unless asked. */
export async function openOut(addresses: Record<string, string>, options: Partial<TestContextOptions> = {}): Promise<Opened> {
  const context = testContext({
    name: 'book',
    kind: 'state',
    side: 'out',
    ...options,
    addresses,
    creation: { wait_after_creation_s: 0, ...options.creation },
  });
  const endpoint = await deltaUpdateOut.create(context);
  cleanups.push(() => endpoint.close());
  await endpoint.open();
  return { endpoint, context };
}

/** Opens a `delta_update_in` named `book` on `addresses` (short snapshot timeout). */
export async function openIn(addresses: Record<string, string>, options: Partial<TestContextOptions> = {}): Promise<Opened> {
  const context = testContext({
    name: 'book',
    kind: 'state',
    side: 'in',
    ...options,
    addresses,
    // No tail check unless a test asks for one: it would add snapshot requests to the counts the tests check.
    creation: { snapshot_timeout_ms: 300, tail_check_ms: 0, ...options.creation },
  });
  const endpoint = await deltaUpdateIn.create(context);
  cleanups.push(() => endpoint.close());
  await endpoint.open();
  return { endpoint, context };
}

/** What `to_send('state', name, args)` hands the endpoint. */
export function message(args: Record<string, unknown>, workflowId: string | null = null): OutboundMessage {
  return new Outbound(args, workflowId);
}

/** A raw subscriber that has joined `address` (handshake done), collecting every frame. */
export async function rawSubscriber(address: string, prefix?: Uint8Array): Promise<Buffer[]> {
  const socket = new Subscriber({ linger: 0 });
  cleanups.push(() => socket.close());
  const joined = new Promise<void>((resolve) => socket.events.on('handshake', () => resolve()));
  if (prefix) socket.subscribe(Buffer.from(prefix));
  else socket.subscribe();
  socket.connect(`tcp://${address}`);
  const frames: Buffer[] = [];
  void (async () => {
    for await (const [frame] of socket) if (frame) frames.push(frame);
  })().catch(() => {});
  await joined;
  await sleep(50);
  return frames;
}

/** Asks a replyer for a snapshot with a plain REQ socket; resolves to the decoded reply. */
export async function requestSnapshot(address: string, body: Uint8Array = encodeRequest({ args: {}, workflow_id: 'wf-snap' })) {
  const socket = new Request({ linger: 0, receiveTimeout: 2000 });
  try {
    socket.connect(`tcp://${address}`);
    await socket.send(body);
    const [reply] = await socket.receive();
    return decodeReply(reply!);
  } finally {
    socket.close();
  }
}

/** Waits until `check` holds (5 s at most). */
export function until(check: () => boolean, timeout = 5000): Promise<void> {
  return expect.poll(check, { timeout, interval: 10 }).toBe(true);
}
