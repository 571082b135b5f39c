import type { End } from '../services/service-ends.js';
import type { Wire } from '../wires/pair-wires.js';

/** One socket of one end: a node of the address graph. */
export interface Socket {
  /** The end (model) it belongs to. */
  readonly end: End;
  /** Its socket name, e.g. `publisher`. */
  readonly name: string;
}

/**
 * Whether a socket binds its address, in the seed's convention (SPEC §4): `replyer` binds and
 * `requester` connects; `publisher` binds unless `is_x_pub` (it then connects to a proxy);
 * `subscriber` connects unless `is_binder`; `nats` (a NATS endpoint) connects to its server. Any other
 * socket name (a third-party type's, such as `listener`) binds on the `in` side, the one that serves.
 */
export function binds(socket: Socket): boolean {
  const creation = socket.end.model?.creation ?? {};
  switch (socket.name) {
    case 'replyer':
      return true;
    case 'requester':
      return false;
    case 'publisher':
      return creation.is_x_pub !== true;
    case 'subscriber':
      return creation.is_binder === true;
    case 'nats':
      return false;
    default:
      return socket.end.side === 'in';
  }
}

/** Every socket name an end's type declares: required, then optional. */
export function socketNames(end: End): string[] {
  return [...(end.definition?.addresses ?? []), ...(end.definition?.optionalAddresses ?? [])];
}

/**
 * The sockets a wire joins: two ends whose types use the same socket names pair them by name,
 * otherwise by position (publisher with subscriber, replyer with requester: the order their
 * plugins declare them in).
 */
export function socketPairs(wire: Wire): [string, string][] {
  const out = socketNames(wire.from);
  const into = socketNames(wire.to);
  if (out.length > 0 && out.every((name) => into.includes(name))) return out.map((name) => [name, name]);
  return out.slice(0, into.length).map((name, index) => [name, into[index]!]);
}
