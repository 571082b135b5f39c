import { socketNames } from '../addresses/sockets.js';
import type { Problem } from '../check/problem.js';
import type { End, InspectedService } from '../services/service-ends.js';
import type { LoadedSystem } from '../system-file/system-types.js';
import { findEnd } from './pair-wires.js';

/** An `in` end called from outside the system, as the system file's `entries` declares it. */
export interface Entry {
  /** The `in` end. */
  readonly end: End;
  /** Socket name → the address given in the file; empty when it is numbered from `ports.base` (`true`) or derived. */
  readonly given: Readonly<Record<string, string>>;
  /** Not declared: its type is an entry type (an HTTP front door), so its address is derived like any other. */
  readonly automatic?: boolean;
}

/** An entry point once addresses are derived: what `sf up` prints and `sf graph` draws. */
export interface EntryPoint {
  /** The `in` end. */
  readonly end: End;
  /** Socket name → its address. */
  readonly addresses: Readonly<Record<string, string>>;
  /** The URL of its docs page for people, when its type serves one (an HTTP front door's `/docs/`). */
  readonly docs?: string;
  /** Not declared in `entries`: its type is an entry type. */
  readonly automatic?: boolean;
}

/** `pricer.get_price (replyer) at 127.0.0.1:7000`; a type with several sockets names each. */
export function describeEntry({ end, addresses, docs }: EntryPoint): string {
  const sockets = Object.entries(addresses);
  const where = sockets.length === 1 ? sockets[0]![1] : sockets.map(([name, address]) => `${address} (${name})`).join(', ');
  return `${end.service}.${end.name} (${end.typeName}) at ${where || 'no address'}${docs === undefined ? '' : `, docs at ${docs}`}`;
}

/** The URL of an entry's docs page (its type's `entry.docs` on its first address), or undefined. */
export function docsUrl(end: End, addresses: Readonly<Record<string, string>>): string | undefined {
  const path = end.definition?.entry?.docs;
  const first = Object.values(addresses)[0]?.split(', ')[0];
  if (path === undefined || first === undefined) return undefined;
  const host = first.replace(/^tcp:\/\//, '').replace(/^(\*|0\.0\.0\.0):/, '127.0.0.1:');
  return `http://${host}${path}`;
}

/**
 * Reads `entries` (`"service.name": "host:port" | { socket: address } | true`): each must name an
 * `in` end, give every socket of its type a stable address (a string only for a type with one
 * socket), or be `true` with `ports.base` set (a free port would change at every start).
 */
export function readEntries(system: LoadedSystem, services: readonly InspectedService[]): { entries: Entry[]; problems: Problem[] } {
  const entries: Entry[] = [];
  const problems: Problem[] = [];
  for (const [text, value] of Object.entries(system.spec.entries ?? {})) {
    const at = `entries["${text}"]`;
    const end = findEnd(services, text, 'in', at, problems);
    if (end === undefined) continue;
    const sockets = socketNames(end);
    const problem = (message: string, fix: string) =>
      problems.push({ code: 'SF_WIRE_ENTRY', service: end.service, model: at, message, fix });
    if (value === true) {
      if (typeof system.spec.ports === 'object') entries.push({ end, given: {} });
      else
        problem(
          'an entry point needs a stable address, but "ports" is "free": its port would change at every sf up',
          `give it one, "${text}": "127.0.0.1:7000", or number the ports from a base: "ports": { "base": 15200 }`,
        );
      continue;
    }
    if (typeof value === 'string') {
      if (end.definition !== undefined && sockets.length !== 1)
        problem(
          `'${end.typeName}' has ${sockets.length} sockets (${sockets.join(', ')}), so one address does not say which`,
          `give each its address: { ${sockets.map((name) => `"${name}": "host:port"`).join(', ')} }`,
        );
      else entries.push({ end, given: sockets.length === 1 ? { [sockets[0]!]: value } : {} });
      continue;
    }
    const unknown = Object.keys(value).filter((name) => end.definition !== undefined && !sockets.includes(name));
    if (unknown.length > 0)
      problem(`'${end.typeName}' has no socket ${unknown.map((name) => `'${name}'`).join(', ')}`, `its sockets are ${sockets.join(', ')}`);
    else entries.push({ end, given: value });
  }
  // Ends of an entry type (an HTTP front door) are called from outside without being declared.
  for (const service of services) {
    for (const end of service.ends) {
      if (end.side === 'in' && end.definition?.entry !== undefined && !entries.some((entry) => entry.end === end))
        entries.push({ end, given: {}, automatic: true });
    }
  }
  return { entries, problems };
}
