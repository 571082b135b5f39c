import type { Channel } from '../addresses/derive-addresses.js';
import { binds } from '../addresses/sockets.js';
import type { Problem } from '../check/problem.js';
import type { End } from '../services/service-ends.js';
import type { LoadedSystem } from '../system-file/system-types.js';
import { serviceKeyFiles } from './system-keys.js';

/** The creation arguments `sf up` gives one service (the shape of `sf run --creation`). */
export interface CreationFile {
  /** Connections by side and model name. */
  connections: { in: Record<string, Record<string, unknown>>; out: Record<string, Record<string, unknown>> };
  /** States by side and model name. */
  states: { in: Record<string, Record<string, unknown>>; out: Record<string, Record<string, unknown>> };
}

/** What encrypting a system takes: each service's `curve` creation arguments and the allowed-clients files to write. */
export interface CurvePlan {
  /** Service name → its creation-arguments file content (only services with an encrypted wire). */
  readonly byService: ReadonlyMap<string, CreationFile>;
  /** Allowed-clients file → the public key files (`.pub`) it concatenates: the services let in. */
  readonly allowedFiles: ReadonlyMap<string, readonly string[]>;
  /** Every public key file the plan reads (to check that `sf keys` wrote them; secret keys are checked by each `sf run`). */
  readonly publicKeyFiles: readonly string[];
  /** Wires that cross hosts in the clear, and why (warnings). */
  readonly problems: readonly Problem[];
}

/** Whether a type takes the `curve` creation argument (every ZeroMQ type of the framework does). */
function takesCurve(end: End): boolean {
  const optional = end.definition?.creationArguments?.optional;
  return optional !== null && optional !== undefined && typeof optional === 'object' && 'curve' in optional;
}

function emptyCreation(): CreationFile {
  return { connections: { in: {}, out: {} }, states: { in: {}, out: {} } };
}

/**
 * Plans CurveZMQ for the wires that cross hosts (issue #23): a channel whose services run on more
 * than one host is encrypted whole (every socket on it: a CURVE server cannot take plain clients),
 * a channel inside one host stays plain. The binding end of an encrypted channel gets its
 * service's key pair and an allowed-clients file of exactly the services wired to it; each
 * connecting end gets its service's key pair and the binder's public key. `hostsOf(service)` names
 * the hosts its processes run on; `allowedDir` is where the allowed-clients files go. A channel
 * that cannot be encrypted (a Python 0.0.3 end, a type without `curve`, encryption turned off) is
 * reported as a warning; so is an entry point's (`entries`: its callers from outside the system have
 * no key to be let in with).
 */
export function planCurve(
  system: LoadedSystem,
  channels: readonly Channel[],
  hostsOf: (service: string) => readonly string[],
  python: (service: string) => boolean,
  allowedDir: string,
  entries: ReadonlySet<End> = new Set(),
): CurvePlan {
  const byService = new Map<string, CreationFile>();
  const allowed = new Map<string, Set<string>>();
  const publicKeyFiles = new Set<string>();
  const problems: Problem[] = [];
  const off = system.spec.encryption === false;
  for (const channel of channels) {
    const services = new Set(channel.sockets.map((socket) => socket.end.service));
    const hosts = new Set([...services].flatMap((service) => hostsOf(service)));
    if (hosts.size < 2) continue;
    const binder = channel.sockets.find(binds);
    const first = channel.sockets[0]!.end;
    const where = { service: (binder ?? channel.sockets[0]!).end.service, model: (binder ?? channel.sockets[0]!).end.path };
    const clear = (why: string, fix: string) =>
      problems.push({
        code: 'SF_WIRE_CLEAR',
        severity: 'warning',
        ...where,
        message: `${channel.address} crosses hosts in the clear: ${why}`,
        fix,
      });
    if (off) {
      clear('the system file turns encryption off', 'remove "encryption": false to encrypt the wires that cross hosts');
      continue;
    }
    const entry = channel.sockets.find((socket) => entries.has(socket.end));
    if (entry !== undefined) {
      clear(
        `${entry.end.service}.${entry.end.name} is an entry point, and its callers from outside the system have no key`,
        'give the callers from outside their own wire, or accept plain TCP there',
      );
      continue;
    }
    const pythonEnd = [...services].find(python);
    if (pythonEnd !== undefined) {
      clear(
        `${pythonEnd} is a Python 0.0.3 service, which has no CurveZMQ`,
        'place it on the same host as its peers, or accept plain TCP there',
      );
      continue;
    }
    const plain = channel.sockets.find((socket) => !takesCurve(socket.end));
    if (plain !== undefined || binder === undefined) {
      clear(
        plain ? `${plain.end.service}.${plain.end.name} (${plain.end.typeName}) takes no curve creation argument` : 'no socket binds it',
        'use ZeroMQ types on wires that cross hosts, or NATS with TLS',
      );
      continue;
    }
    const server = serviceKeyFiles(system, binder.end.service);
    const list = `${allowedDir}/${binder.end.service}.${first.kind === 'connection' ? 'connections' : 'states'}.${binder.end.name}.allowed`;
    publicKeyFiles.add(server.publicFile);
    const clients = allowed.get(list) ?? new Set<string>();
    allowed.set(list, clients);
    setCurve(byService, binder.end, { key_file: server.secretFile, allowed_clients_file: list });
    for (const socket of channel.sockets) {
      if (socket.end === binder.end) continue;
      const client = serviceKeyFiles(system, socket.end.service);
      publicKeyFiles.add(client.publicFile);
      clients.add(client.publicFile);
      setCurve(byService, socket.end, { key_file: client.secretFile, server_public_key_file: server.publicFile });
    }
  }
  const allowedFiles = new Map([...allowed].map(([file, pubs]) => [file, [...pubs].sort()]));
  return { byService, allowedFiles, publicKeyFiles: [...publicKeyFiles].sort(), problems };
}

function setCurve(byService: Map<string, CreationFile>, end: End, curve: Record<string, string>): void {
  const creation = byService.get(end.service) ?? emptyCreation();
  byService.set(end.service, creation);
  const group = creation[end.kind === 'connection' ? 'connections' : 'states'][end.side];
  group[end.name] = { ...group[end.name], curve: { ...(group[end.name]?.curve as object | undefined), ...curve } };
}
