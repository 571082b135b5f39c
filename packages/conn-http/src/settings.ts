import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError, parseListenAddress } from '@sf/core';
import { type EndpointContext, integerArgument } from '@sf/core/plugin';

/** Defaults of the server settings. */
export const DEFAULTS = {
  /** Largest request body: 1 MiB. */
  bodyLimitBytes: 1024 * 1024,
  /** Longest time to receive a whole request (a slow client gets 408). */
  requestTimeoutMs: 30_000,
  /** How long an idle keep-alive connection stays open. */
  keepAliveTimeoutMs: 5_000,
} as const;

/** What one HTTP server is made with; every model sharing the server must give the same. */
export interface ServerSettings {
  /** Host to listen on (`0.0.0.0` for `*`). */
  readonly host: string;
  /** TCP port. */
  readonly port: number;
  /** Largest request body, bytes (413 above). */
  readonly bodyLimitBytes: number;
  /** Longest time to receive a whole request, ms (408 after). */
  readonly requestTimeoutMs: number;
  /** Idle keep-alive timeout, ms. */
  readonly keepAliveTimeoutMs: number;
  /** TLS key and certificate (PEM), when served over HTTPS. */
  readonly tls: { readonly key: string; readonly cert: string } | undefined;
  /** Requests per minute per client address (429 above), or undefined for no limit. */
  readonly rateLimitPerMinute: number | undefined;
  /** Origins allowed by CORS; empty: CORS off. */
  readonly corsOrigins: readonly string[];
  /** Whether `/openapi.json` and the `/docs` page are served. */
  readonly docs: boolean;
  /** The OpenAPI document's title. */
  readonly title: string;
}

/** How one route checks who calls it. */
export interface RouteAuth {
  /** SHA-256 of the token `Authorization: Bearer <token>` must carry (hashed once, at start). */
  readonly bearerDigest: Buffer | undefined;
  /** SHA-256 of the key the API key header must carry. */
  readonly apiKeyDigest: Buffer | undefined;
  /** Name of the API key header (lower case). */
  readonly apiKeyHeader: string;
  /** A hook that decides (for anything else: signed requests, sessions...); false or a throw refuses. */
  readonly authorize: ((request: AuthorizeRequest) => unknown) | undefined;
}

/** What an `authorize` hook sees of a request. */
export interface AuthorizeRequest {
  /** Request headers (lower-case names). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The path called, e.g. `/orders/place`. */
  readonly path: string;
  /** The client's address. */
  readonly ip: string;
}

/** The server settings of one model's creation arguments; throws a ConfigError or ValidationError naming the bad one. */
export function serverSettings(context: EndpointContext): ServerSettings {
  const raw = context.addresses.http ?? '';
  const listen = parseListenAddress(raw.replace(/^\*:/, '0.0.0.0:'));
  if (listen === undefined) {
    throw new ConfigError('SF_ADDRESSES_INVALID', `The http address ${JSON.stringify(raw)} is not host:port`, {
      service: context.service,
      model: context.modelPath,
      hint: 'Give the address to listen on as host:port, e.g. "127.0.0.1:8080" (or "0.0.0.0:8080" for every interface)',
    });
  }
  const creation = context.creation;
  const rate = creation.rate_limit_per_minute;
  return {
    host: listen.host,
    port: listen.port,
    bodyLimitBytes: integerArgument(context, 'body_limit_bytes', DEFAULTS.bodyLimitBytes, 1),
    requestTimeoutMs: integerArgument(context, 'request_timeout_ms', DEFAULTS.requestTimeoutMs, 1),
    keepAliveTimeoutMs: integerArgument(context, 'keep_alive_timeout_ms', DEFAULTS.keepAliveTimeoutMs, 1),
    tls: tlsOf(context),
    rateLimitPerMinute: rate === undefined ? undefined : integerArgument(context, 'rate_limit_per_minute', 0, 1),
    corsOrigins: (creation.cors_origins as string[] | undefined) ?? [],
    docs: creation.docs !== false,
    title: (creation.title as string | undefined) ?? 'HTTP front door',
  };
}

/** The route's credentials check. */
export function routeAuth(context: EndpointContext): RouteAuth {
  const c = context.creation;
  return {
    bearerDigest: secretDigest(c.bearer_token as string | undefined),
    apiKeyDigest: secretDigest(c.api_key as string | undefined),
    apiKeyHeader: ((c.api_key_header as string | undefined) ?? 'x-api-key').toLowerCase(),
    authorize: c.authorize as RouteAuth['authorize'],
  };
}

/** The SHA-256 of a secret (compared by digest, in constant time, so its length leaks nothing either). */
export function secretDigest(secret: string | undefined): Buffer | undefined {
  return secret === undefined ? undefined : createHash('sha256').update(secret).digest();
}

/** PEM text as given, or read from the file it names. */
function pem(context: EndpointContext, name: string): string | undefined {
  const value = context.creation[name] as string | undefined;
  if (value === undefined || value.includes('-----BEGIN')) return value;
  try {
    return readFileSync(value, 'utf8');
  } catch (error) {
    throw new ConfigError('SF_FILE_MISSING', `Cannot read ${name} from the file ${JSON.stringify(value)}`, {
      service: context.service,
      model: context.modelPath,
      argument: `optional_creation_arguments.${name}`,
      hint: 'Give the PEM text itself, or the path of a readable PEM file',
      cause: error,
    });
  }
}

function tlsOf(context: EndpointContext): ServerSettings['tls'] {
  const key = pem(context, 'tls_key');
  const cert = pem(context, 'tls_cert');
  if (key === undefined && cert === undefined) return undefined;
  if (key === undefined || cert === undefined) {
    throw new ConfigError(
      'SF_CONFIG_INVALID',
      `HTTPS needs both tls_key and tls_cert; only ${key === undefined ? 'tls_cert' : 'tls_key'} is given`,
      {
        service: context.service,
        model: context.modelPath,
        hint: 'Give both (PEM text or file paths), or neither for plain HTTP',
      },
    );
  }
  return { key, cert };
}

/** The settings that differ between two models sharing one server, by name (empty: none). */
export function differences(a: ServerSettings, b: ServerSettings): string[] {
  const names: (keyof ServerSettings)[] = [
    'bodyLimitBytes',
    'requestTimeoutMs',
    'keepAliveTimeoutMs',
    'rateLimitPerMinute',
    'docs',
    'title',
  ];
  const out = names.filter((name) => a[name] !== b[name]);
  if (JSON.stringify(a.corsOrigins) !== JSON.stringify(b.corsOrigins)) out.push('corsOrigins');
  if (a.tls?.key !== b.tls?.key || a.tls?.cert !== b.tls?.cert) out.push('tls');
  return out;
}
