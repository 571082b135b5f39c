import { readFileSync } from 'node:fs';
import { ConfigError, optional, secret, TransportError } from '@sf/core';
import { type EndpointContext, redactUrlCredentials } from '@sf/core/plugin';
import type { ConnectionOptions, NatsConnection } from '@nats-io/transport-node';
import { natsModule } from './nats-module.js';

/** Server list used when neither the `servers` creation argument nor a `nats` address is given. */
export const DEFAULT_SERVERS = 'nats://127.0.0.1:4222';

/** Default `connect_timeout_ms`: how long `open()` tries to reach a server before failing. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;

/**
 * Creation arguments every NATS type takes (spread them into `creationArguments.optional`): where
 * the servers are and how to log in. Secrets are `secret(...)`, so the runner logs `[redacted]`.
 */
export const NATS_CREATION_ARGUMENTS = {
  /**
   * Comma-separated server URLs (`nats://host:4222,nats://host2:4222`, a login as `nats://user:pass@host:4222`,
   * never logged); else the `nats` address (`host:port`); else {@link DEFAULT_SERVERS}.
   */
  servers: String,
  connect_timeout_ms: Number,
  user: String,
  password: secret(String),
  token: secret(String),
  /** An nkey seed (`SU…`), for nkey authentication. */
  nkey_seed: secret(String),
  /** A `.creds` file (JWT and nkey seed), for decentralized (operator) authentication. */
  creds_file: String,
  tls: { ca_file: optional(String), cert_file: optional(String), key_file: optional(String) },
} as const;

/** The `nats` socket name: an address-file entry, `host:port` of one server, used when there is no `servers` creation argument. */
export const NATS_ADDRESS = 'nats';

/** The server URLs of an endpoint: creation argument `servers`, else its `nats` address, else the default. */
export function serverList(context: EndpointContext): string[] {
  const address = context.addresses[NATS_ADDRESS];
  // An addresses file holds `host:port` (or `tcp://host:port`): the framework's address rule.
  const given =
    (context.creation.servers as string | undefined) ?? (address && `nats://${address.replace(/^tcp:\/\//, '')}`) ?? DEFAULT_SERVERS;
  const servers = given
    .split(',')
    .map((server) => server.trim())
    .filter((server) => server !== '');
  if (servers.length === 0) {
    throw new ConfigError('SF_ADDRESSES_INVALID', `No NATS server in ${JSON.stringify(given)}`, {
      service: context.service,
      model: context.modelPath,
      hint: 'Give servers as "nats://host:4222" (several separated by commas)',
    });
  }
  return servers;
}

/**
 * The client options of an endpoint, from its creation arguments (credentials and TLS files are read
 * here). Asynchronous since the NATS client library, which makes the authenticators, loads on first use.
 */
export async function connectionOptions(context: EndpointContext): Promise<ConnectionOptions> {
  const creation = context.creation as Record<string, unknown>;
  const tls = creation.tls as { ca_file?: string; cert_file?: string; key_file?: string } | undefined;
  const { servers, login } = splitLogin(serverList(context));
  const options: ConnectionOptions = {
    servers,
    name: `${context.service}#${context.modelPath}`,
    timeout: (creation.connect_timeout_ms as number | undefined) ?? DEFAULT_CONNECT_TIMEOUT_MS,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    user: (creation.user as string | undefined) ?? login.user,
    pass: (creation.password as string | undefined) ?? login.pass,
    token: (creation.token as string | undefined) ?? login.token,
  };
  if (typeof creation.nkey_seed === 'string')
    options.authenticator = (await natsModule()).nkeyAuthenticator(new TextEncoder().encode(creation.nkey_seed));
  if (typeof creation.creds_file === 'string')
    options.authenticator = (await natsModule()).credsAuthenticator(readCreds(context, creation.creds_file));
  if (tls) options.tls = { caFile: tls.ca_file, certFile: tls.cert_file, keyFile: tls.key_file };
  return options;
}

/**
 * The server URLs without their login, and the login of the first URL that has one
 * (`nats://user:pass@host` → user and password, `nats://token@host` → token), as the Go and
 * Python clients read them. The client never sees it inside a URL, so no error quotes it.
 */
export function splitLogin(servers: readonly string[]): { servers: string[]; login: { user?: string; pass?: string; token?: string } } {
  let login: { user?: string; pass?: string; token?: string } | undefined;
  const clean = servers.map((server) => {
    const match = /^([a-z][a-z0-9+.-]*:\/\/)?([^/@]*)@(.*)$/i.exec(server);
    if (match === null) return server;
    const [, scheme = '', info = '', rest = ''] = match;
    const colon = info.indexOf(':');
    login ??=
      colon < 0
        ? { token: decodeURIComponent(info) }
        : { user: decodeURIComponent(info.slice(0, colon)), pass: decodeURIComponent(info.slice(colon + 1)) };
    return `${scheme}${rest}`;
  });
  return { servers: clean, login: login ?? {} };
}

function readCreds(context: EndpointContext, path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new ConfigError('SF_ADDRESSES_INVALID', `Cannot read the NATS creds_file ${path}`, {
      service: context.service,
      model: context.modelPath,
      argument: 'optional_creation_arguments.creds_file',
      hint: 'Give the path of a .creds file (nsc generate creds)',
      cause: error,
    });
  }
}

/**
 * Connects to the endpoint's NATS servers; a server that cannot be reached (or refuses the login)
 * in `connect_timeout_ms` is a TransportError SF_CONNECT_FAILED naming the servers. Once
 * connected, the client reconnects on its own (to any server of the cluster) and logs it.
 */
export async function connectNats(context: EndpointContext, given?: ConnectionOptions): Promise<NatsConnection> {
  const options = given ?? (await connectionOptions(context));
  const { connect } = await natsModule();
  let connection: NatsConnection;
  try {
    connection = await connect(options);
  } catch (error) {
    // A server URL may hold a user and password (nats://user:pass@host): never put them in the message.
    const where = redactUrlCredentials(String(options.servers));
    throw new TransportError('SF_CONNECT_FAILED', `Cannot connect to NATS at ${where}: ${redactUrlCredentials((error as Error).message)}`, {
      service: context.service,
      model: context.modelPath,
      hint: 'Check that nats-server runs at that address (servers creation argument or the nats address), and the credentials',
      cause: error,
    });
  }
  void watchStatus(context, connection);
  return connection;
}

/** Logs the client's disconnects and reconnects (not per message). */
async function watchStatus(context: EndpointContext, connection: NatsConnection): Promise<void> {
  for await (const status of connection.status()) {
    if (status.type === 'disconnect')
      context.logger.warn({ server: redactUrlCredentials(status.server) }, 'NATS: disconnected; reconnecting');
    else if (status.type === 'reconnect') context.logger.info({ server: redactUrlCredentials(status.server) }, 'NATS: reconnected');
    else if (status.type === 'error') context.logger.warn({ err: status.error }, 'NATS: client error');
  }
}

/** A TransportError SF_CONNECTION_CLOSED for an endpoint used before `open()` or after `close()`. */
export function closedError(context: EndpointContext, what: string): TransportError {
  return new TransportError('SF_CONNECTION_CLOSED', what, {
    service: context.service,
    model: context.modelPath,
    hint: 'Send only between start and shutdown',
  });
}

/** Drains and closes a connection (pending publications are flushed); never rejects. */
export async function closeNats(connection: NatsConnection | undefined): Promise<void> {
  if (!connection || connection.isClosed()) return;
  await connection.drain().catch(() => connection.close());
}

/** The one connection of an out endpoint: made by `open()`, drained by `close()`, refused after it. */
export class NatsClient {
  readonly #context: EndpointContext;
  readonly #label: string;
  #connection: NatsConnection | undefined;
  #closed = false;

  /** `label` names the type in errors (`nats_publisher`). */
  constructor(context: EndpointContext, label: string) {
    this.#context = context;
    this.#label = label;
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  async open(): Promise<NatsConnection> {
    if (this.#closed) throw closedError(this.#context, `Cannot open a ${this.#label} after close`);
    this.#connection ??= await connectNats(this.#context);
    return this.#connection;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await closeNats(this.#connection);
  }

  /** The open connection; a TransportError SF_CONNECTION_CLOSED naming `what` before `open()` or after `close()`. */
  connection(what: string): NatsConnection {
    if (!this.#connection || this.#closed) throw closedError(this.#context, `The ${this.#label} of ${what} is not open`);
    return this.#connection;
  }
}
