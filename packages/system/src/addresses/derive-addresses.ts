import { type Addresses, emptyAddresses } from '@sf/core';
import { freePort } from '@sf/core/testing';
import { NATS_SOCKET, type NatsPlan } from '../nats/nats-plan.js';
import type { InspectedService } from '../services/service-ends.js';
import type { LoadedSystem } from '../system-file/system-types.js';
import type { Entry } from '../wires/entries.js';
import type { Wire } from '../wires/pair-wires.js';
import { binds, type Socket, socketNames, socketPairs } from './sockets.js';

/** One address and the sockets that share it: one binder and its peers, when the system is sound. */
export interface Channel {
  /** `host:port` or a full ZeroMQ endpoint. */
  readonly address: string;
  /** The sockets on it. */
  readonly sockets: readonly Socket[];
}

/** Every service's addresses file content, and the channels they were made from. */
export interface DerivedAddresses {
  /** Service name → its addresses (seed format). */
  readonly byService: ReadonlyMap<string, Addresses>;
  /** Every address with the sockets on it. */
  readonly channels: readonly Channel[];
}

const LOOPBACK = '127.0.0.1';

/**
 * Gives every socket of every end an address: the sockets a wire joins share one (so fan-out and
 * fan-in share the binder's), explicit addresses from the system file (`addresses`, then an entry point's) win, others are free
 * loopback ports (or numbered from `ports.base`) on the binding service's `host`. NATS sockets
 * (`nats`) get one of the system's local NATS servers in turn, or none (their plugin's default).
 */
export async function deriveAddresses(
  system: LoadedSystem,
  services: readonly InspectedService[],
  wires: readonly Wire[],
  nats?: NatsPlan,
  entries: readonly Entry[] = [],
): Promise<DerivedAddresses> {
  const groups = groupSockets(services, wires);
  const base = typeof system.spec.ports === 'object' ? system.spec.ports.base : undefined;
  const used = new Set<string>();
  const channels: Channel[] = [];
  let natsGroups = 0;
  for (const sockets of groups) {
    const isNats = sockets.every((socket) => socket.name === NATS_SOCKET);
    const address =
      explicitAddress(system, sockets) ??
      entryAddress(entries, sockets) ??
      (isNats ? nats?.addresses[natsGroups++ % nats.addresses.length] : `${hostOf(system, sockets)}:${await nextPort(base, used)}`);
    if (address !== undefined) channels.push({ address, sockets });
  }
  const byService = new Map(services.map((service) => [service.name, emptyAddresses()]));
  for (const channel of channels) {
    for (const { end, name } of channel.sockets) {
      const side = byService.get(end.service)![end.kind === 'connection' ? 'connections' : 'states'][end.side];
      side[end.name] = { ...side[end.name], [name]: channel.address };
    }
  }
  return { byService, channels };
}

/** The sockets joined by wires, in groups (union-find), in the order of the services and their models. */
function groupSockets(services: readonly InspectedService[], wires: readonly Wire[]): Socket[][] {
  const sockets = services.flatMap((service) => service.ends.flatMap((end) => socketNames(end).map((name): Socket => ({ end, name }))));
  const parent = sockets.map((_, index) => index);
  const root = (index: number): number => {
    while (parent[index] !== index) index = parent[index]!;
    return index;
  };
  const indexOf = (end: Socket['end'], name: string) => sockets.findIndex((socket) => socket.end === end && socket.name === name);
  for (const wire of wires) {
    for (const [outName, inName] of socketPairs(wire)) {
      const a = root(indexOf(wire.from, outName));
      const b = root(indexOf(wire.to, inName));
      if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
    }
  }
  const groups = new Map<number, Socket[]>();
  sockets.forEach((socket, index) => {
    const key = root(index);
    groups.set(key, [...(groups.get(key) ?? []), socket]);
  });
  return [...groups.values()];
}

function explicitAddress(system: LoadedSystem, sockets: readonly Socket[]): string | undefined {
  for (const { end, name } of sockets) {
    const given = system.addresses[end.kind === 'connection' ? 'connections' : 'states'][end.side][end.name]?.[name];
    if (given !== undefined) return typeof given === 'string' ? given : given[0];
  }
  return undefined;
}

function entryAddress(entries: readonly Entry[], sockets: readonly Socket[]): string | undefined {
  for (const { end, name } of sockets) {
    const given = entries.find((entry) => entry.end === end)?.given[name];
    if (given !== undefined) return given;
  }
  return undefined;
}

function hostOf(system: LoadedSystem, sockets: readonly Socket[]): string {
  const binder = sockets.find(binds);
  return (binder && system.spec.services[binder.end.service]?.host) ?? LOOPBACK;
}

async function nextPort(base: number | undefined, used: Set<string>): Promise<number> {
  for (let port = base ?? 0; ; port += 1) {
    const candidate = base === undefined ? await freePort() : port;
    if (used.has(String(candidate))) continue;
    used.add(String(candidate));
    return candidate;
  }
}
