// Helpers shared by this package's unit tests (not exported from the package).
import { compileArguments, Decimal, setOf, UUID } from '@sf/core';
import type { Endpoint, OutboundMessage } from '@sf/core/plugin';
import { encodeRequest } from '@sf/core/plugin';
import { Outbound, type TestContext, testContext } from '@sf/core/testing';
import { expect } from 'vitest';
import { fullUpdateIn } from './full-update-in.js';
import { fullUpdateOut } from './full-update-out.js';

/** The state model every test uses: a version number and a label. */
export const MODEL = { required: { version: Number }, optional: { label: String } };

/** The model's real validator, as the runner would pass it as `context.check`. */
export const check = compileArguments(MODEL, { service: 'test-service.ts', model: 'state_models.in.prices', root: 'state' }).check;

/** A model with every extended value type, to check they survive the wire exactly. */
export const RICH_MODEL = {
  required: { price: Decimal, tags: setOf(String), id: UUID, at: Date, raw: Uint8Array, book: { level: Number } },
};

/** A value of {@link RICH_MODEL}. */
export function richValue(): Record<string, unknown> {
  return {
    price: new Decimal('1.50'),
    tags: new Set(['a', 'b']),
    id: new UUID('123e4567-e89b-12d3-a456-426614174000'),
    at: new Date('2024-05-06T07:08:09.123Z'),
    raw: new Uint8Array([0, 1, 255]),
    book: { level: 2 },
  };
}

const cleanups: Array<() => unknown> = [];

/** Runs (in reverse order) everything the helpers opened; call it in afterEach. */
export async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

/** Registers `cleanup` to run in {@link cleanUp}. */
export function onCleanUp(cleanup: () => unknown): void {
  cleanups.push(cleanup);
}

/** An out endpoint with its context; opened unless `open` is false. */
export async function openOut(
  addresses: Record<string, string>,
  creation: Record<string, unknown> = {},
  open = true,
): Promise<{ endpoint: Endpoint; context: TestContext }> {
  const context = testContext({
    name: 'prices',
    kind: 'state',
    side: 'out',
    addresses,
    creation: { wait_after_creation_s: 0, ...creation },
  });
  const endpoint = await fullUpdateOut.create(context);
  onCleanUp(() => endpoint.close());
  if (open) await endpoint.open();
  return { endpoint, context };
}

/** An in endpoint with its context (which records updates and logs); opened unless `open` is false. */
export async function openIn(
  addresses: Record<string, string>,
  creation: Record<string, unknown> = {},
  options: { open?: boolean; check?: TestContext['check']; name?: string } = {},
): Promise<{ endpoint: Endpoint; context: TestContext }> {
  const context = testContext({ name: options.name ?? 'prices', kind: 'state', addresses, creation, check: options.check ?? check });
  const endpoint = await fullUpdateIn.create(context);
  onCleanUp(() => endpoint.close());
  if (options.open !== false) await endpoint.open();
  return { endpoint, context };
}

/** The message the runner hands to `send` for `to_send('state', name, value)`. */
export function stateMessage(value: Record<string, unknown>, workflowId: string | null = null): OutboundMessage {
  return new Outbound(value, workflowId);
}

/** Publishes `{version: 0}` until every in side got one (slow joiners), then forgets those updates. */
export async function warmUp(out: Endpoint, ins: TestContext[]): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!ins.every((context) => context.updates.length > 0)) {
    if (Date.now() > deadline) throw new Error('subscribers never joined');
    await out.send?.(stateMessage({ version: 0 }, 'warmup'));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  for (const context of ins) context.updates.length = 0;
}

/** Waits (up to 5 s) until `condition` holds. */
export function until(condition: () => boolean): Promise<void> {
  return expect.poll(condition, { timeout: 5000, interval: 10 }).toBe(true);
}

/** The versions of the values a context was updated with, in order. */
export function versions(context: TestContext): unknown[] {
  return context.updates.map((update) => update.value.version);
}
