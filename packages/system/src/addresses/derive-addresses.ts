import { type Addresses, emptyAddresses } from '@sf/core';
import { freePort } from '@sf/core/testing';
import { NATS_SOCKET, type NatsPlan } from '../nats/nats-plan.js';
import type { InspectedService } from '../services/service-ends.js';
import { LOOPBACK, type Placement } from '../system-file/placement.js';
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
  /** When the binding service has several replicas, each binding its own address: the replica that binds this one. */
  readonly replica?: number;
}

/** Every process's addresses file content, and the channels they were made from. */
export interface DerivedAddresses {
  /** Process name (`service`, or `service#k` for replica k) → its addresses (seed format; a list where a socket connects to replicas). */
  readonly byProcess: ReadonlyMap<string, Addresses>;
  /** Every address with the sockets on it. */
  readonly channels: readonly Channel[];
}

/**
 * Gives every socket of every process an address: the sockets a wire joins share one (so fan-out
 * and fan-in share the binder's); explicit addresses from the system file (`addresses`, then an
 * entry point's) win; others are free loopback ports (or numbered from `ports.base`) on the
 * binding process's host. A binding service with n replicas gets n addresses, one per replica
 * (each on its own host), and every connecting socket of the group gets the list of all n. NATS
 * sockets (`nats`) get their host's NATS servers in turn (`hosts.<name>.nats`), else one of the
 * system's local servers, else none (their plugin's default).
 */
export async function deriveAddresses(
  system: LoadedSystem,
  placements: readonly Placement[],
  services: readonly InspectedService[],
  wires: readonly Wire[],
  nats?: NatsPlan,
  entries: readonly Entry[] = [],
): Promise<DerivedAddresses> {
  const groups = groupSockets(services, wires);
  const base = typeof system.spec.ports === 'object' ? system.spec.ports.base : undefined;
  const used = new Set<string>();
  const channels: Channel[] = [];
  const byProcess = new Map(placements.map((placement) => [placement.name, emptyAddresses()]));
  const processesOf = (service: string) => placements.filter((placement) => placement.service === service);
  const assign = (process: string, { end, name }: Socket, address: string | string[]) => {
    const side = byProcess.get(process)?.[end.kind === 'connection' ? 'connections' : 'states'][end.side];
    if (side !== undefined) side[end.name] = { ...side[end.name], [name]: address };
  };
  let natsGroups = 0;
  for (const sockets of groups) {
    const given = explicitAddress(system, sockets) ?? entryAddress(entries, sockets);
    if (sockets.every((socket) => socket.name === NATS_SOCKET)) {
      const turn = natsGroups++;
      const serverOf = (placement: Placement | undefined): string | undefined => {
        if (given !== undefined) return [given].flat()[0];
        const servers = placement?.host === undefined ? nats?.addresses : system.spec.hosts?.[placement.host]?.nats;
        return servers?.[turn % servers.length];
      };
      const seen = new Map<string, Socket[]>();
      for (const socket of sockets) {
        for (const placement of processesOf(socket.end.service)) {
          const address = serverOf(placement);
          if (address === undefined) continue;
          assign(placement.name, socket, address);
          if (!seen.get(address)?.includes(socket)) seen.set(address, [...(seen.get(address) ?? []), socket]);
        }
      }
      for (const [address, on] of seen) channels.push({ address, sockets: on });
      continue;
    }
    const binder = sockets.find(binds);
    const binders = binder === undefined ? [] : processesOf(binder.end.service);
    const addresses =
      given !== undefined
        ? [given].flat()
        : await Promise.all(
            (binders.length > 0 ? binders.map((placement) => placement.address) : [LOOPBACK]).map(
              async (host) => `${hostPart(host)}:${await nextPort(base, used)}`,
            ),
          );
    // One address per replica: each binds its own. Fewer addresses than replicas: they share, and sf check reports it.
    const perReplica = binders.length > 1 && addresses.length === binders.length;
    channels.push(...addresses.map((address, index) => ({ address, sockets, ...(perReplica && { replica: index + 1 }) })));
    for (const socket of sockets) {
      const own = binds(socket);
      for (const placement of processesOf(socket.end.service)) {
        if (!own) assign(placement.name, socket, addresses.length === 1 ? addresses[0]! : [...addresses]);
        else assign(placement.name, socket, perReplica && socket === binder ? addresses[placement.replica - 1]! : addresses[0]!);
      }
    }
  }
  return { byProcess, channels };
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

/** An explicit address of one of the sockets; a list (one per replica of a binding service) is kept whole. */
function explicitAddress(system: LoadedSystem, sockets: readonly Socket[]): string | string[] | undefined {
  for (const { end, name } of sockets) {
    const given = system.addresses[end.kind === 'connection' ? 'connections' : 'states'][end.side][end.name]?.[name];
    if (given !== undefined) return given;
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

/** An IPv6 address in brackets, as `host:port` needs it. */
function hostPart(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

async function nextPort(base: number | undefined, used: Set<string>): Promise<number> {
  for (let port = base ?? 0; ; port += 1) {
    const candidate = base === undefined ? await freePort() : port;
    if (used.has(String(candidate))) continue;
    used.add(String(candidate));
    return candidate;
  }
}
