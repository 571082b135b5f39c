import {
  decodeReply,
  decodeRequest,
  type Endpoint,
  encodeErrorReply,
  encodeReply,
  encodeRequest,
  type OutboundMessage,
  type Plugin,
  type RequestEnvelope,
} from '@sf/core/plugin';
import { Outbound, outbound, type TestContext, testContext } from '@sf/core/testing';
import { type Settled, type } from './options.js';

/** Fails a check with a message saying what was expected. */
export class CheckFailure extends Error {
  override name = 'CheckFailure';
}

/** Cleanups of one check, run in reverse at its end (each bounded). */
export type Cleanups = (() => Promise<unknown>)[];

/** An opened in endpoint with the runner stand-in behind it. */
export interface InSide {
  readonly endpoint: Endpoint;
  readonly context: TestContext;
  /** Requests decoded by the stand-in, in arrival order. */
  readonly received: RequestEnvelope[];
  /** Frames the stand-in could not decode (answered with an error reply where one is due). */
  readonly undecodable: Uint8Array[];
  /** When set, each request waits for this promise before it is answered. */
  hold: Promise<void> | undefined;
}

/** The stand-in's reply to request `args`: the args echoed, marked. */
export function echo(args: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return { ...args, echoed: true };
}

/** Creates and opens in type `name` with a stand-in for the runner (echoes requests, records updates). */
export async function openIn(
  plugin: Plugin,
  name: string,
  addresses: Record<string, string>,
  options: Settled,
  cleanups: Cleanups,
): Promise<InSide> {
  const definition = type(plugin, name);
  const side: Omit<InSide, 'endpoint' | 'context'> = { received: [], undecodable: [], hold: undefined };
  const receive = async (frame: Uint8Array): Promise<Uint8Array | undefined> => {
    let envelope: RequestEnvelope;
    try {
      envelope = decodeRequest(frame);
    } catch (error) {
      side.undecodable.push(frame);
      return definition.replies ? encodeErrorReply(null, error, 'request') : undefined;
    }
    side.received.push(envelope);
    await (side as InSide).hold;
    return definition.replies ? encodeReply({ return_args: echo(envelope.args), workflow_id: envelope.workflow_id }) : undefined;
  };
  const handler = definition.handler === undefined ? {} : { [definition.handler]: () => undefined };
  const context = testContext({
    name: `${name}_conformance`,
    side: 'in',
    kind: definition.kind,
    addresses,
    creation: { ...handler, ...options.creation[name] },
    receive,
  });
  const endpoint = await definition.create(context);
  cleanups.push(() => endpoint.close());
  await endpoint.open();
  return Object.assign(side, { endpoint, context });
}

/** Creates and opens out type `name`. */
export async function openOut(
  plugin: Plugin,
  name: string,
  addresses: Record<string, string>,
  options: Settled,
  cleanups: Cleanups,
): Promise<{ endpoint: Endpoint; context: TestContext }> {
  const definition = type(plugin, name);
  const context = testContext({
    name: `${name}_conformance`,
    side: 'out',
    kind: definition.kind,
    addresses,
    creation: { ...options.creation[name] },
  });
  const endpoint = await definition.create(context);
  cleanups.push(() => endpoint.close());
  await endpoint.open();
  return { endpoint, context };
}

/** The message the runner hands `send` for `args` (the runner's own), or one carrying the given `frame`. */
export function message(args: Record<string, unknown>, workflowId: string | null, frame?: Uint8Array): OutboundMessage {
  return frame === undefined ? new Outbound(args, workflowId) : outbound(frame, args, workflowId);
}

/** The return args of a reply as `send` resolved it (frame or object); throws a CheckFailure for an error reply. */
export function returned(reply: unknown, what: string): Record<string, unknown> {
  if (reply instanceof Uint8Array) {
    const envelope = decodeReply(reply);
    if (envelope.error !== undefined)
      throw new CheckFailure(`${what}: got an error reply (${envelope.error.type}: ${envelope.error.message})`);
    return envelope.return_args ?? {};
  }
  if (reply !== null && typeof reply === 'object' && 'return_args' in reply)
    return ((reply as { return_args: Record<string, unknown> | null }).return_args ?? {}) as Record<string, unknown>;
  throw new CheckFailure(
    `${what}: send resolved to ${reply === undefined ? 'undefined' : typeof reply}, ` +
      `but the type declares replies: true (expected the reply frame or { return_args })`,
  );
}

/** `promise`, or a CheckFailure naming `what` once `ms` passed (a bound, not a timing assertion). */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckFailure(`${what} did not happen within ${ms} ms`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/** Polls `condition` every 10 ms until it holds; a CheckFailure naming `what` after `ms`. */
export async function waitFor(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new CheckFailure(`${what} did not happen within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Runs the cleanups in reverse, each bounded, reporting the ones that threw or hung. */
export async function runCleanups(cleanups: Cleanups, ms: number): Promise<string[]> {
  const problems: string[] = [];
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      await within(cleanup(), ms, 'close()');
    } catch (error) {
      problems.push(error instanceof CheckFailure ? error.message : `close() threw: ${(error as Error)?.message ?? String(error)}`);
    }
  }
  return problems;
}
