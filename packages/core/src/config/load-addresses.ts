import { resolve } from 'node:path';
import { ConfigError, SfError } from '../errors.js';
import { describeValue, isPlainObject } from '../util/describe-value.js';
import { nearest } from '../util/nearest.js';
import type { Config } from './load-config.js';
import { addressProblem } from './parse-address.js';
import { readJsonFile } from './read-json-file.js';

/**
 * Socket name → address, for one connection or state. A connecting socket may list several
 * addresses (one per replica of the service it connects to) and connects to all of them.
 */
export type SocketAddresses = Record<string, string | string[]>;

/** Model name → its socket addresses, for one side. */
export type SideAddresses = Record<string, SocketAddresses>;

/** The addresses file (seed format), with every section present. */
export interface Addresses {
  /** Addresses of connections, by side and connection name. */
  connections: { in: SideAddresses; out: SideAddresses };
  /** Addresses of states, by side and state name. */
  states: { in: SideAddresses; out: SideAddresses };
}

/** The service's `setup_addresses(addresses, config)`: returns the addresses to use (may be async). */
export type SetupAddresses = (addresses: Addresses, config: Config) => unknown;

/** Inputs of {@link loadAddresses}. */
export interface LoadAddressesOptions {
  /** Path of the addresses file (`-a`); relative paths are resolved from `cwd`. */
  file?: string;
  /** The service's `setup_addresses`; what it returns replaces the addresses (`undefined` keeps them, changes included). */
  setup_addresses?: SetupAddresses;
  /** The merged config, handed to `setup_addresses`. */
  config: Config;
  /** Folder relative paths are resolved from; defaults to `process.cwd()`. */
  cwd?: string;
  /** Path of the service file, for messages. */
  service?: string;
}

/**
 * Builds a service's addresses: the file (or empty sections), then `setup_addresses`. Both are
 * checked to be `{ connections: { in, out }, states: { in, out } }` of `{ name: { socket: address } }`.
 */
export async function loadAddresses(options: LoadAddressesOptions): Promise<Addresses> {
  const { file, setup_addresses, config, cwd = process.cwd(), service } = options;
  const addresses =
    file === undefined
      ? emptyAddresses()
      : checkAddresses(await readJsonFile(file, 'addresses file', cwd), 'The addresses file', { file: resolve(cwd, file) });
  if (setup_addresses === undefined) return addresses;
  let result: unknown;
  try {
    result = await setup_addresses(addresses, config);
  } catch (error) {
    if (error instanceof SfError) throw error;
    throw new ConfigError('SF_ADDRESSES_INVALID', `setup_addresses threw: ${(error as Error)?.message ?? String(error)}`, {
      service,
      hint: 'Fix setup_addresses in the service file',
      cause: error,
    });
  }
  return checkAddresses(result ?? addresses, 'What setup_addresses returned', { service });
}

/** Addresses with every section present and empty. */
export function emptyAddresses(): Addresses {
  return { connections: { in: {}, out: {} }, states: { in: {}, out: {} } };
}

/**
 * Checks the shape of an addresses object and fills in missing sections. `source` names it in
 * messages, which give the path inside it, e.g. `connections.in.echo.replyer`.
 */
export function checkAddresses(value: unknown, source: string, where: { file?: string; service?: string } = {}): Addresses {
  const fail = (path: string, problem: string, hint: string): never => {
    throw new ConfigError('SF_ADDRESSES_INVALID', `${source} ${path === '' ? 'itself' : `at ${path}`} ${problem}`, { ...where, hint });
  };
  const shape = 'The addresses are { "connections": { "in": {...}, "out": {...} }, "states": { "in": {...}, "out": {...} } }';
  const section = (object: unknown, path: string, keys?: readonly string[]): Record<string, unknown> => {
    if (object === undefined) return {};
    if (!isPlainObject(object)) return fail(path, `is ${describeValue(object)}; expected an object`, shape);
    for (const key of Object.keys(object)) {
      if (keys === undefined || keys.includes(key)) continue;
      const guess = nearest(key, keys);
      const at = path === '' ? key : `${path}.${key}`;
      fail(at, `is not a known key${guess ? ` (did you mean '${guess}'?)` : ''}; expected ${keys.join(' or ')}`, shape);
    }
    return object;
  };

  const top = section(value, '', ['connections', 'states']);
  const result = emptyAddresses();
  for (const group of ['connections', 'states'] as const) {
    const sides = section(top[group], group, ['in', 'out']);
    for (const side of ['in', 'out'] as const) {
      const models = section(sides[side], `${group}.${side}`);
      for (const [name, sockets] of Object.entries(models)) {
        result[group][side][name] = checkSockets(sockets, `${group}.${side}.${name}`, fail);
      }
    }
  }
  return result;
}

function checkSockets(value: unknown, path: string, fail: (path: string, problem: string, hint: string) => never): SocketAddresses {
  if (!isPlainObject(value)) {
    return fail(
      path,
      `is ${describeValue(value)}; expected an object of socket name → address`,
      'Write e.g. { "replyer": "127.0.0.1:5555" }',
    );
  }
  const sockets: SocketAddresses = {};
  for (const [socket, addr] of Object.entries(value)) {
    const list = Array.isArray(addr);
    if (list && addr.length === 0) fail(`${path}.${socket}`, 'is an empty list', 'List at least one address, or write one string');
    for (const [index, one] of (list ? addr : [addr]).entries()) {
      const at = list ? `${path}.${socket}[${index}]` : `${path}.${socket}`;
      if (typeof one !== 'string') {
        fail(
          at,
          `is ${describeValue(one)}; expected an address string${list ? '' : ' or a list of them'}`,
          "Write host:port, e.g. '127.0.0.1:5555'",
        );
      }
      const problem = addressProblem(one as string);
      if (problem !== undefined) {
        fail(
          at,
          `is '${one as string}', which is not an address: ${problem}`,
          "Write host:port (e.g. '127.0.0.1:5555') or a full ZeroMQ endpoint (tcp://, ipc://, inproc://)",
        );
      }
    }
    sockets[socket] = list ? [...(addr as string[])] : (addr as string);
  }
  return sockets;
}
