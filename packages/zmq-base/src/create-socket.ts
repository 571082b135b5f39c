import { type AddressRole, type EndpointContext, LogThrottle } from '@sf/core/plugin';
import type { Socket } from 'zeromq';
import { addressPath } from './address.js';
import { applyContextOptions } from './context-options.js';
import { type CurveSettings, checkCurveRole, readCurve } from './curve.js';
import { noop } from './noop.js';
import { applySocketOptions, readSocketOptions, type SocketOptionValues } from './socket-options.js';
import { registerZapDomain } from './zap-handler.js';
import { keyId } from './z85.js';

/** The socket options and CURVE settings of one endpoint, read once from its creation arguments. */
export interface SocketSettings {
  /** Options set on every socket of the endpoint. */
  readonly options: SocketOptionValues;
  /** CURVE keys, or `undefined` for plain TCP. */
  readonly curve: CurveSettings | undefined;
}

interface Cached extends SocketSettings {
  readonly throttle: LogThrottle;
  warnedLooseKey: boolean;
}

const SETTINGS = new WeakMap<EndpointContext, Cached>();
const READY = new WeakMap<Socket, Promise<void>>();

/**
 * The endpoint's socket settings (read and checked on the first call, then cached). With `role`,
 * also checks that CURVE settings have what a socket that binds or connects needs. A bad value is
 * a ValidationError or ConfigError naming the creation argument (never quoting a key).
 */
export function socketSettings(context: EndpointContext, role?: AddressRole): SocketSettings {
  let settings = SETTINGS.get(context);
  if (settings === undefined) {
    settings = { options: readSocketOptions(context), curve: readCurve(context), throttle: new LogThrottle(), warnedLooseKey: false };
    SETTINGS.set(context, settings);
  }
  if (role !== undefined && settings.curve !== undefined) checkCurveRole(context, settings.curve, role);
  return settings;
}

/**
 * A new socket of class `Kind` for `context`, with the endpoint's socket options and, when it has
 * `curve` settings, CURVE as server (`bind`: its secret key and its allow-list, checked by the ZAP
 * handler) or as client (`connect`: its key pair and the server's public key). `socketName` names
 * the socket in log lines. Every ZeroMQ socket a plugin opens should come from here.
 */
export function createSocket<S extends Socket>(Kind: new () => S, context: EndpointContext, role: AddressRole, socketName: string): S {
  const settings = socketSettings(context, role) as Cached;
  applyContextOptions();
  const socket = new Kind();
  applySocketOptions(socket, settings.options);
  const curve = settings.curve;
  if (curve === undefined) return socket;
  const address = addressPath(context, socketName);
  if (curve.looseKeyFile !== undefined && !settings.warnedLooseKey) {
    settings.warnedLooseKey = true;
    context.logger.warn({ file: curve.looseKeyFile }, 'CURVE key file is readable by other users; chmod 600 it');
  }
  if (role === 'bind') {
    const registration = registerZapDomain({ allowed: curve.allowed ?? new Set(), logger: context.logger, address });
    socket.curveServer = true;
    socket.curveSecretKey = curve.keys.secretKey;
    socket.zapDomain = registration.domain;
    // Without a ZAP handler libzmq would let any client in: refuse instead.
    socket.zapEnforceDomain = true;
    READY.set(socket, registration.ready);
    registration.ready.catch(noop);
    socket.events.on('end', () => registration.release());
  } else {
    socket.curveServerKey = curve.serverKey ?? null;
    socket.curvePublicKey = curve.keys.publicKey;
    socket.curveSecretKey = curve.keys.secretKey;
  }
  watchHandshakes(socket, context, settings.throttle, role, address, curve);
  return socket;
}

/** Resolves once `socket` may bind (a CURVE server waits for the ZAP handler); rejects when it cannot. */
export function socketReady(socket: Socket): Promise<void> | undefined {
  return READY.get(socket);
}

/** Logs failed CURVE handshakes (a wrong or missing key on either side), at most once a minute per kind. */
function watchHandshakes(
  socket: Socket,
  context: EndpointContext,
  throttle: LogThrottle,
  role: AddressRole,
  address: string,
  curve: CurveSettings,
): void {
  const warn = (kind: string, message: string): void => {
    const verdict = throttle.pass(`${address} ${kind}`);
    if (verdict.log) context.logger.warn({ address, ...(verdict.heldBack > 0 && { repeats: verdict.heldBack }) }, message);
  };
  if (role === 'bind') {
    socket.events.on('handshake:error:protocol', () =>
      warn('protocol', 'a peer failed the CURVE handshake (it has no CURVE keys, or another server public key) and was dropped'),
    );
    return;
  }
  socket.events.on('handshake:error:auth', () =>
    warn(
      'auth',
      `the server refused this side's CURVE key ${keyId(curve.keys.publicKey)}: add this side's public key to its allowed clients`,
    ),
  );
  socket.events.on('handshake:error:protocol', () =>
    warn('protocol', 'CURVE handshake failed: check curve.server_public_key (the server has other keys, or no CURVE)'),
  );
}
