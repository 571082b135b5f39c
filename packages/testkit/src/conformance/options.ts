import { freePort } from '@sf/core/testing';
import type { Plugin, TypeDefinition } from '@sf/core/plugin';

/** One out type and the in type it talks to. */
export interface PeerPair {
  /** Out type name (sends). */
  out: string;
  /** In type name (receives). */
  in: string;
  /** Whether the types reconnect by themselves after the peer restarts (checked when true). */
  reconnects?: boolean;
  /** Which side the reconnect check restarts (default `in`). */
  restart?: 'in' | 'out';
}

/** Socket name → address, for each side of a pair. */
export interface PairAddresses {
  /** The out type's addresses. */
  out: Record<string, string>;
  /** The in type's addresses. */
  in: Record<string, string>;
}

/** Names of the checks, for `skip`. */
export const CHECK_NAMES = [
  'open and close twice',
  'round trip',
  'replies matched',
  'bad frame',
  'pause with a message in flight',
  'close with a pending send',
  'reconnect after the peer restarts',
  'addresses missing or malformed',
] as const;

/** One of {@link CHECK_NAMES}. */
export type CheckName = (typeof CHECK_NAMES)[number];

/** How to run the conformance suite against one plugin. */
export interface ConformanceOptions {
  /** Pairs to test; default every out type with each of its `peers` the plugin provides. */
  pairs?: readonly PeerPair[];
  /**
   * Makes fresh addresses for a pair; default one free loopback port (`127.0.0.1:<port>`) per socket,
   * the n-th socket of each side sharing one.
   */
  addresses?: (pair: PeerPair, plugin: Plugin) => Promise<PairAddresses>;
  /** Creation arguments per type name (e.g. `{ publisher: { wait_after_creation_s: 0 } }`, `{ external_target: { target } }`). */
  creation?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** `to_send` args of the n-th message sent by out type `type` (default `{ n }`). */
  message?: (type: string, n: number) => Record<string, unknown>;
  /** What the in side sees of the n-th message: its args, or an in state's value (default: the message itself). */
  received?: (type: string, n: number) => Record<string, unknown>;
  /** Longest wait for something that must happen, in ms (default 10 000). */
  timeoutMs?: number;
  /** Checks to leave out, with the reason (shown in the report). */
  skip?: Partial<Record<CheckName, string>>;
}

/** Options with defaults applied. */
export interface Settled extends Required<Omit<ConformanceOptions, 'pairs' | 'skip' | 'creation'>> {
  creation: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  skip: Partial<Record<CheckName, string>>;
}

/** Applies the defaults. */
export function settle(options: ConformanceOptions): Settled {
  return {
    addresses: options.addresses ?? defaultAddresses,
    creation: options.creation ?? {},
    message: options.message ?? ((_type, n) => ({ n })),
    received: options.received ?? options.message ?? ((_type, n) => ({ n })),
    timeoutMs: options.timeoutMs ?? 10_000,
    skip: options.skip ?? {},
  };
}

/** Every out type with each peer the plugin itself provides. */
export function defaultPairs(plugin: Plugin): PeerPair[] {
  const pairs: PeerPair[] = [];
  for (const [name, definition] of Object.entries(plugin.types)) {
    if (definition.side !== 'out') continue;
    for (const peer of definition.peers) if (plugin.types[peer]?.side === 'in') pairs.push({ out: name, in: peer });
  }
  return pairs;
}

async function defaultAddresses(pair: PeerPair, plugin: Plugin): Promise<PairAddresses> {
  const out = type(plugin, pair.out).addresses;
  const inn = type(plugin, pair.in).addresses;
  const result: PairAddresses = { out: {}, in: {} };
  for (let i = 0; i < Math.max(out.length, inn.length); i += 1) {
    const address = `127.0.0.1:${await freePort()}`;
    if (out[i] !== undefined) result.out[out[i]!] = address;
    if (inn[i] !== undefined) result.in[inn[i]!] = address;
  }
  return result;
}

/** The definition of `name`, or a clear error. */
export function type(plugin: Plugin, name: string): TypeDefinition {
  const definition = plugin.types[name];
  if (definition === undefined) throw new Error(`${plugin.name} has no type '${name}' (it has ${Object.keys(plugin.types).join(', ')})`);
  return definition;
}
