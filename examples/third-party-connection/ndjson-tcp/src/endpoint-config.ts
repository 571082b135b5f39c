import { ConfigError, ValidationError } from '@sf/core';
import { type EndpointContext, parseAddress } from '@sf/core/plugin';

/** The one socket name both types use in the addresses file. */
export const SOCKET = 'listener';

/** Where one endpoint listens or connects, resolved from its `listener` address. */
export interface ListenerAddress {
  /** Where the address sits in the addresses file, e.g. `connections.in.prices.listener`. */
  readonly path: string;
  /** The address as written in the addresses file, for messages. */
  readonly text: string;
  /** Host to bind or connect to; `undefined` binds every interface. */
  readonly host: string | undefined;
  /** TCP port. */
  readonly port: number;
}

const TCP_ENDPOINT = /^tcp:\/\/(.+):(\d+)$/;

/**
 * Reads the endpoint's `listener` address. Core's `parseAddress` checks it and applies the
 * framework's rule (a binding `host:port` listens on every interface, as the ZeroMQ types do);
 * only TCP is accepted, since node:net is the transport.
 */
export function listenerAddress(context: EndpointContext, side: 'in' | 'out'): ListenerAddress {
  const path = `connections.${side}.${context.name}.${SOCKET}`;
  const where = { service: context.service, model: context.modelPath };
  const text = context.addresses[SOCKET];
  if (text === undefined) {
    throw new ConfigError('SF_ADDRESSES_INVALID', `No address for socket "${SOCKET}" at ${path}`, {
      ...where,
      hint: `Add "${SOCKET}": "host:port" under connections.${side}.${context.name} in the addresses file`,
    });
  }
  const endpoint = parseAddress(text, side === 'in' ? 'bind' : 'connect', where);
  const match = TCP_ENDPOINT.exec(endpoint);
  if (match === null) {
    throw new ConfigError(
      'SF_ADDRESSES_INVALID',
      `Address '${text}' at ${path} is not a TCP host:port; ndjson connections speak TCP only`,
      {
        ...where,
        hint: "Write host:port (e.g. '127.0.0.1:5555') or tcp://host:port",
      },
    );
  }
  const host = match[1] === '*' ? undefined : match[1]!.replace(/^\[(.*)\]$/, '$1');
  return { path, text, host, port: Number(match[2]) };
}

/** Reads a positive numeric creation argument (its type is already checked by core), or `fallback`. */
export function positiveNumber(context: EndpointContext, name: string, fallback: number): number {
  const value = context.creation[name] ?? fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ValidationError(
      `Creation argument ${name} is out of range`,
      { expected: 'a finite number > 0', received: String(value) },
      { service: context.service, model: context.modelPath, argument: `optional_creation_arguments.${name}` },
    );
  }
  return value;
}
