import { ConfigError, type ErrorLocation } from '../errors.js';

/** Whether a socket binds (listens) or connects to its address. */
export type AddressRole = 'bind' | 'connect';

const ADDRESS_HINT =
  "Write host:port (e.g. '127.0.0.1:5555') or a full ZeroMQ endpoint ('tcp://host:port', 'ipc:///tmp/name.sock', 'inproc://name')";
const ENDPOINT = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/s;
const HOST_PORT = /^(\*|\[[0-9A-Fa-f:.]+\]|[^\s:/[\]*]+):([^:]*)$/;
const TCP_TARGET = /^(\S+):(\d+|\*)$/;

/**
 * Turns an address from the addresses file into a ZeroMQ endpoint. `host:port` becomes
 * `tcp://host:port` for a connecting socket; a binding socket binds the host as written (SPEC §4):
 * a loopback host listens on loopback only (`localhost` binds `127.0.0.1`), `*` or `0.0.0.0` on
 * every interface, any other host on that address. (Python 0.0.3 binds `tcp://*:port` for every
 * `host:port`, exposing a service meant to be local; what a peer connects to is the same.) Full
 * `tcp://`, `ipc://` and `inproc://` endpoints are kept as given. A bad address is a `ConfigError`
 * (`SF_ADDRESSES_INVALID`) that says how to write it.
 */
export function parseAddress(addr: string, role: AddressRole, where: ErrorLocation = {}): string {
  const problem = addressProblem(addr);
  if (problem !== undefined) throw badAddress(addr, problem, where);
  const endpoint = ENDPOINT.exec(addr);
  if (endpoint !== null) {
    if (role === 'connect' && endpoint[1] === 'tcp' && TCP_TARGET.exec(endpoint[2]!)![1] === '*') {
      throw badAddress(addr, "a connecting socket needs a host, not '*'", where);
    }
    return addr;
  }
  const [, host, port] = HOST_PORT.exec(addr)!;
  if (role === 'bind') return `tcp://${bindHost(host!)}:${port}`;
  if (host === '*') throw badAddress(addr, "a connecting socket needs a host, not '*'", where);
  return `tcp://${host}:${port}`;
}

/**
 * Why `addr` is not an address, whatever the socket's role, or `undefined` when it is one.
 * Used to check the addresses file before any type is known.
 */
export function addressProblem(addr: string): string | undefined {
  if (addr.trim() === '') return 'it is empty';
  const endpoint = ENDPOINT.exec(addr);
  if (endpoint !== null) {
    const [, transport, target] = endpoint as unknown as [string, string, string];
    if (transport !== 'tcp' && transport !== 'ipc' && transport !== 'inproc') {
      return `transport '${transport}://' is not supported; use tcp://, ipc:// or inproc://`;
    }
    if (target === '') return `'${transport}://' needs a ${transport === 'tcp' ? 'host:port' : 'name'} after it`;
    if (transport === 'tcp') {
      const match = TCP_TARGET.exec(target);
      if (match === null) return "a tcp:// endpoint needs 'host:port' after it";
      if (match[2] !== '*' && !isPort(match[2]!)) return `port ${match[2]} is not between 1 and 65535`;
    }
    return undefined;
  }
  if (/\s/.test(addr)) return 'it contains whitespace';
  if (/^\d+$/.test(addr)) return 'it has a port but no host';
  const match = HOST_PORT.exec(addr);
  if (match === null) return "it is neither 'host:port' nor a tcp://, ipc:// or inproc:// endpoint";
  if (!isPort(match[2]!)) return `port '${match[2]}' is not a number between 1 and 65535`;
  return undefined;
}

function bindHost(host: string): string {
  if (host === '0.0.0.0') return '*';
  if (host.toLowerCase() === 'localhost') return '127.0.0.1';
  return host;
}

const LOOPBACK_V4 = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/**
 * Whether a ZeroMQ endpoint can only be reached from this machine: `ipc://`, `inproc://`, or tcp on
 * a loopback host (`127.x.x.x`, `localhost`, `[::1]`). `tcp://*:p` and any other host are reachable
 * from the network.
 */
export function isLocalEndpoint(endpoint: string): boolean {
  const match = ENDPOINT.exec(endpoint);
  if (match === null) return false;
  if (match[1] !== 'tcp') return true;
  return isLoopbackHost(TCP_TARGET.exec(match[2]!)?.[1] ?? '');
}

/** Whether `host` (an address's host part) is a loopback one: `127.x.x.x`, `localhost`, `::1` or `[::1]`. */
export function isLoopbackHost(host: string): boolean {
  const lower = host.toLowerCase();
  return LOOPBACK_V4.test(lower) || lower === 'localhost' || lower === '[::1]' || lower === '::1';
}

function isPort(text: string): boolean {
  if (!/^\d{1,5}$/.test(text)) return false;
  const port = Number(text);
  return port >= 1 && port <= 65535;
}

function badAddress(addr: string, problem: string, where: ErrorLocation): ConfigError {
  return new ConfigError('SF_ADDRESSES_INVALID', `Bad address '${addr}': ${problem}`, { ...where, hint: ADDRESS_HINT });
}
