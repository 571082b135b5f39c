import { type ErrorLocation, optional, secret, ValidationError } from '@sf/core';
import type { AddressRole, EndpointContext } from '@sf/core/plugin';
import { checkKeyFileMode, type KeyPair, readAllowedKeys, readKeyPair, readPublicKey } from './key-files.js';
import { isZ85Key } from './z85.js';

/**
 * The `curve` creation argument of every ZeroMQ type. Every key is `secret(…)`, so the runner's
 * logger never writes one; files are read once, at start.
 */
export const CURVE_ARGUMENT = {
  /** This side's key pair file (`sf keygen` writes it). */
  key_file: optional(String),
  /** This side's public key, when the key pair is given inline instead of `key_file`. */
  public_key: optional(secret(String)),
  /** This side's secret key, with `public_key`. */
  secret_key: optional(secret(String)),
  /** Connecting sockets: the binding side's public key. */
  server_public_key: optional(secret(String)),
  /** Connecting sockets: a file holding the binding side's public key (its `.pub` file). */
  server_public_key_file: optional(String),
  /** Binding sockets: public keys of the clients let in. */
  allowed_client_keys: optional([secret(String)]),
  /** Binding sockets: a file listing public keys of the clients let in, one per line. */
  allowed_clients_file: optional(String),
} as const;

/** CURVE settings of one endpoint, read from its `curve` creation argument and key files. */
export interface CurveSettings {
  /** This side's key pair. */
  readonly keys: KeyPair;
  /** The binding side's public key (needed to connect). */
  readonly serverKey: string | undefined;
  /** Client public keys let in (needed to bind); `undefined` when none was given. */
  readonly allowed: ReadonlySet<string> | undefined;
  /** The key pair file, when its mode lets the group (or, with SF_ALLOW_READABLE_KEYS=1, anyone) read it: a warning at open. */
  readonly looseKeyFile: string | undefined;
}

type CurveValues = { readonly [K in keyof typeof CURVE_ARGUMENT]?: K extends 'allowed_client_keys' ? readonly string[] : string };

/** Reads the `curve` creation argument; `undefined` when it is absent (plain TCP, as before). */
export function readCurve(context: EndpointContext): CurveSettings | undefined {
  const curve = context.creation.curve as CurveValues | undefined;
  if (curve === undefined || curve === null) return undefined;
  const where = (key: string): ErrorLocation => ({
    service: context.service,
    model: context.modelPath,
    argument: `optional_creation_arguments.curve.${key}`,
  });
  let keys: KeyPair;
  let loose = false;
  if (curve.key_file !== undefined) {
    if (curve.secret_key !== undefined || curve.public_key !== undefined) {
      throw invalid('Give curve.key_file or curve.public_key with curve.secret_key, not both', 'one of them', 'both', where('key_file'));
    }
    loose = checkKeyFileMode(curve.key_file, where('key_file'));
    keys = readKeyPair(curve.key_file, where('key_file'));
  } else {
    if (curve.public_key === undefined || curve.secret_key === undefined) {
      const missing =
        curve.public_key === undefined && curve.secret_key === undefined
          ? 'key_file'
          : curve.public_key === undefined
            ? 'public_key'
            : 'secret_key';
      throw invalid(
        "CURVE needs this side's key pair",
        'curve.key_file, or curve.public_key and curve.secret_key',
        'neither',
        where(missing),
      );
    }
    keys = { publicKey: checkKey(curve.public_key, where('public_key')), secretKey: checkKey(curve.secret_key, where('secret_key')) };
  }
  if (curve.server_public_key !== undefined && curve.server_public_key_file !== undefined) {
    throw invalid(
      'Give curve.server_public_key or curve.server_public_key_file, not both',
      'one of them',
      'both',
      where('server_public_key'),
    );
  }
  const serverKey =
    curve.server_public_key_file !== undefined
      ? readPublicKey(curve.server_public_key_file, where('server_public_key_file'))
      : curve.server_public_key === undefined
        ? undefined
        : checkKey(curve.server_public_key, where('server_public_key'));
  let allowed: Set<string> | undefined;
  if (curve.allowed_client_keys !== undefined || curve.allowed_clients_file !== undefined) {
    allowed = new Set((curve.allowed_client_keys ?? []).map((key, index) => checkKey(key, where(`allowed_client_keys[${index}]`))));
    if (curve.allowed_clients_file !== undefined)
      for (const key of readAllowedKeys(curve.allowed_clients_file, where('allowed_clients_file'))) allowed.add(key);
  }
  const looseKeyFile = loose ? curve.key_file : undefined;
  return { keys, serverKey, allowed, looseKeyFile };
}

/** Throws a ValidationError when `curve` lacks what a socket that binds (server) or connects (client) needs. */
export function checkCurveRole(context: EndpointContext, curve: CurveSettings, role: AddressRole): void {
  const where: ErrorLocation = { service: context.service, model: context.modelPath };
  if (role === 'connect' && curve.serverKey === undefined) {
    throw invalid(
      'A connecting socket with CURVE needs the public key of the side it connects to',
      'curve.server_public_key or curve.server_public_key_file',
      'neither',
      {
        ...where,
        argument: 'optional_creation_arguments.curve.server_public_key',
        hint: "Give the binding service's .pub file as curve.server_public_key_file",
      },
    );
  }
  if (role === 'bind' && curve.allowed === undefined) {
    throw invalid(
      'A binding socket with CURVE needs the public keys of the clients it lets in',
      'curve.allowed_client_keys or curve.allowed_clients_file',
      'neither',
      {
        ...where,
        argument: 'optional_creation_arguments.curve.allowed_clients_file',
        hint: "List the clients' .pub files in an allowed-clients file (`cat a.pub b.pub > allowed_clients`)",
      },
    );
  }
}

/** The key, checked to be z85; the error says what is wrong without quoting it. */
function checkKey(key: unknown, where: ErrorLocation): string {
  if (isZ85Key(key)) return key;
  const received = typeof key === 'string' ? `a ${key.length}-character string that is not a z85 key` : typeof key;
  throw invalid('Not a CURVE key', 'a z85 key of 40 characters (as `sf keygen` writes)', received, where);
}

function invalid(what: string, expected: string, received: string, where: ErrorLocation & { hint?: string }): ValidationError {
  return new ValidationError(what, { expected, received }, where);
}
