import { ConfigError } from '@sf/core';
import { type AddressRole, type EndpointContext, parseAddress } from '@sf/core/plugin';

/** One socket of one endpoint: where it sits in the addresses file and the ZeroMQ endpoint it uses. */
export interface SocketAddress {
  /** Where the address sits in the addresses file, e.g. `connections.in.get_price.replyer`. */
  readonly path: string;
  /** The ZeroMQ endpoint to bind or connect, e.g. `tcp://127.0.0.1:5555` (the first, where there are several). */
  readonly endpoint: string;
  /** Every endpoint: one, or one per replica of the peer for a connecting socket (it connects to all). */
  readonly endpoints: readonly string[];
}

/** Model-path section → addresses-file section (SPEC §4: `connections` / `states`). */
const SECTIONS: Readonly<Record<string, string>> = { connection_models: 'connections', state_models: 'states' };

/**
 * Where socket `socket` of the endpoint's model sits in the addresses file: the model path
 * `connection_models.in.x` gives `connections.in.x.<socket>`, `state_models.out.y` gives
 * `states.out.y.<socket>`.
 */
export function addressPath(context: EndpointContext, socket: string): string {
  const dot = context.modelPath.indexOf('.');
  const section = SECTIONS[context.modelPath.slice(0, dot)];
  const rest = section === undefined ? context.modelPath : `${section}${context.modelPath.slice(dot)}`;
  return `${rest}.${socket}`;
}

/** Whether the endpoint's addresses include socket `socket` (for optional sockets such as a snapshot `replyer`). */
export function hasAddress(context: EndpointContext, socket: string): boolean {
  return context.addresses[socket] !== undefined;
}

/**
 * Looks up socket `socket` in the endpoint's addresses and resolves it for binding or connecting
 * (a connecting socket may have several addresses, one per replica of its peer). A missing or
 * malformed address, or a list for a binding socket, is a ConfigError (`SF_ADDRESSES_INVALID`) naming its path.
 */
export function socketAddress(context: EndpointContext, socket: string, mode: AddressRole): SocketAddress {
  const path = addressPath(context, socket);
  const raw = context.addresses[socket];
  if (raw === undefined) {
    throw new ConfigError('SF_ADDRESSES_INVALID', `No address for socket "${socket}" at ${path}`, {
      service: context.service,
      model: context.modelPath,
      hint: `Add "${socket}": "host:port" under ${path.slice(0, path.lastIndexOf('.'))} in the addresses file`,
    });
  }
  const where = { service: context.service, model: context.modelPath };
  const list = context.addressLists?.[socket] ?? [raw];
  if (list.length > 1 && mode === 'bind') {
    throw new ConfigError('SF_ADDRESSES_INVALID', `${path} lists ${list.length} addresses, but this socket binds one`, {
      ...where,
      hint: 'Give a binding socket one address; a list is for a connecting socket, one address per replica of its peer',
    });
  }
  const endpoints = list.map((addr) => parseAddress(addr, mode, where));
  return { path, endpoint: endpoints[0]!, endpoints };
}
