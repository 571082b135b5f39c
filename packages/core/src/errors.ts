/**
 * Every error the framework raises. Each has a stable `code` (documented in docs/errors.md),
 * a message that says what went wrong, where, and how to fix it, and keeps its `cause`.
 */

/** Where an error happened: any of these that are known. */
export interface ErrorLocation {
  /** Path of the service file. */
  service?: string;
  /** Path of the model inside the service, e.g. `connection_models.in.cancel_order`. */
  model?: string;
  /** Path of the argument inside the message or model, e.g. `args.order.price`. */
  argument?: string;
  /** A file other than the service (config, addresses), with line and column when known. */
  file?: string;
}

/** Options shared by every framework error. */
export interface SfErrorOptions extends ErrorLocation {
  /** How to fix it, in one sentence. */
  hint?: string;
  /** The underlying error. */
  cause?: unknown;
}

/** Base class of every framework error: a stable `code`, a location and a fix hint. */
export class SfError extends Error {
  /** Stable machine-readable code, e.g. `SF_UNKNOWN_TYPE`. */
  readonly code: string;
  /** Where it happened. */
  readonly location: ErrorLocation;
  /** How to fix it. */
  readonly hint: string | undefined;
  /** The message without location and hint. */
  readonly what: string;

  constructor(code: string, what: string, options: SfErrorOptions = {}) {
    const { hint, cause, ...location } = options;
    super(formatMessage(what, location, hint), cause === undefined ? undefined : { cause });
    this.name = new.target.name;
    this.code = code;
    this.what = what;
    this.location = location;
    this.hint = hint;
  }
}

function formatMessage(what: string, at: ErrorLocation, hint: string | undefined): string {
  const where = [
    at.service && `service ${at.service}`,
    at.model && `model ${at.model}`,
    at.argument && `argument ${at.argument}`,
    at.file && `file ${at.file}`,
  ].filter(Boolean);
  let text = what;
  if (where.length > 0) text += ` (${where.join(', ')})`;
  if (hint) text += `. ${hint}`;
  return text;
}

/** A model (connection, state or config model) is malformed: unknown key, wrong shape, bad type spec. */
export class ModelError extends SfError {
  constructor(what: string, options: SfErrorOptions = {}) {
    super('SF_MODEL_INVALID', what, options);
  }
}

/** A value does not match its model: a message's args, a reply, a creation argument or config. */
export class ValidationError extends SfError {
  /** What the model expects at `location.argument`. */
  readonly expected: string;
  /** What was there instead. */
  readonly received: string;

  constructor(what: string, detail: { expected: string; received: string }, options: SfErrorOptions = {}) {
    super('SF_VALIDATION_FAILED', `${what}: expected ${detail.expected}, received ${detail.received}`, options);
    this.expected = detail.expected;
    this.received = detail.received;
  }
}

/** Bytes that are not a valid framework message (bad MessagePack, wrong envelope, bad marker). */
export class DecodeError extends SfError {
  constructor(what: string, options: SfErrorOptions = {}) {
    super('SF_DECODE_FAILED', what, options);
  }
}

/** A value that cannot be put on the wire (a function, a symbol, a cycle...). */
export class EncodeError extends SfError {
  constructor(what: string, options: SfErrorOptions = {}) {
    super('SF_ENCODE_FAILED', what, options);
  }
}

/** A `connection_type` / `state_type` that no registered plugin provides. */
export class UnknownTypeError extends SfError {
  /** The type names that are registered. */
  readonly known: readonly string[];

  constructor(what: string, known: readonly string[], options: SfErrorOptions = {}) {
    super('SF_UNKNOWN_TYPE', what, options);
    this.known = known;
  }
}

/** Two plugins claim the same type name. */
export class DuplicateTypeError extends SfError {
  constructor(what: string, options: SfErrorOptions = {}) {
    super('SF_DUPLICATE_TYPE', what, options);
  }
}

/** A plugin is malformed, built for an incompatible `@sf/core` major, or declared but not installed. */
export class PluginError extends SfError {
  constructor(code: 'SF_PLUGIN_INVALID' | 'SF_PLUGIN_INCOMPATIBLE' | 'SF_PLUGIN_MISSING', what: string, options: SfErrorOptions = {}) {
    super(code, what, options);
  }
}

/**
 * A config or addresses file is missing, unreadable or not valid JSON, or its content has the
 * wrong shape; or a CURVE key pair file any user may read (`SF_KEY_FILE_READABLE`).
 */
export class ConfigError extends SfError {
  constructor(
    code: 'SF_FILE_MISSING' | 'SF_FILE_INVALID_JSON' | 'SF_CONFIG_INVALID' | 'SF_ADDRESSES_INVALID' | 'SF_KEY_FILE_READABLE',
    what: string,
    options: SfErrorOptions = {},
  ) {
    super(code, what, options);
  }
}

/** The service module cannot be loaded or does not export what a service must. */
export class ServiceLoadError extends SfError {
  constructor(what: string, options: SfErrorOptions = {}) {
    super('SF_SERVICE_LOAD_FAILED', what, options);
  }
}

/** A request got no reply within its connection's timeout. */
export class RequestTimeoutError extends SfError {
  /** The time waited for the reply, in milliseconds. */
  readonly timeoutMs: number;

  constructor(what: string, timeoutMs: number, options: SfErrorOptions = {}) {
    super('SF_REQUEST_TIMEOUT', what, options);
    this.timeoutMs = timeoutMs;
  }
}

/** A socket could not bind or connect, or an endpoint was used while not open. */
export class TransportError extends SfError {
  constructor(code: 'SF_BIND_FAILED' | 'SF_CONNECT_FAILED' | 'SF_CONNECTION_CLOSED', what: string, options: SfErrorOptions = {}) {
    super(code, what, options);
  }
}

/** What an error reply tells the requester: the peer's error type, its code (absent from older peers) and its message. */
export interface RemoteErrorDetail {
  /** The peer's error type, e.g. `ValidationError`. */
  type: string;
  /** The peer's stable code, e.g. `SF_VALIDATION_FAILED`; undefined when the peer sent none. */
  code?: string | undefined;
  /** The message the peer wrote for the requester. */
  message: string;
}

/** The peer answered a request with an error reply (bad arguments, a throwing handler). */
export class RemoteError extends SfError {
  /** The error type the peer reported, e.g. `ValidationError`. */
  readonly remoteType: string;
  /** The code the peer reported, e.g. `SF_HANDLER_FAILED`; undefined when the peer sent none (a Python peer). */
  readonly remoteCode: string | undefined;

  constructor(remote: RemoteErrorDetail, options: SfErrorOptions = {}) {
    const label = remote.code === undefined ? remote.type : `${remote.type} ${remote.code}`;
    super('SF_REMOTE_ERROR', `The peer answered with ${label}: ${remote.message}`, options);
    this.remoteType = remote.type;
    this.remoteCode = remote.code;
  }
}

/**
 * What a remote peer is told when a handler fails (throws something other than a
 * {@link PublicError}, or returns bad return arguments): no exception text, only the workflow id
 * under which the service's log holds the details. Only sent, never thrown by the framework.
 */
export class HandlerError extends SfError {
  /** The workflow id of the failed request, or null when it had none. */
  readonly workflowId: string | null;

  constructor(workflowId: string | null) {
    const what =
      workflowId === null
        ? 'The service failed to handle the request. Its log has the details'
        : `The service failed to handle the request (workflow id ${workflowId}). Its log has the details under this workflow id`;
    super('SF_HANDLER_FAILED', what);
    this.workflowId = workflowId;
  }
}

/** Marks a {@link PublicError}, also one from another copy of `@sf/core`. */
const PUBLIC = Symbol.for('@sf/core/public-error');

/** Options of a {@link PublicError}. */
export interface PublicErrorOptions<Code extends string> {
  /** A stable code the peer can test for, e.g. `ORDER_NOT_FOUND`; default `SF_PUBLIC_ERROR`. */
  code?: Code;
  /** The underlying error: logged locally, never sent. */
  cause?: unknown;
  /** The HTTP status an HTTP front door answers it with (400-599); default 400. Other transports ignore it. */
  status?: number;
}

/**
 * An error whose message is meant for the remote peer. A handler that throws one gets an error
 * reply with its class name as `type`, its `code` and its message as they are; any other error
 * reaches the peer only as a {@link HandlerError}. Subclass it to give the type a name.
 */
export class PublicError<Code extends string = string> extends SfError {
  /** The code the peer gets: the one given, or `SF_PUBLIC_ERROR`. */
  declare readonly code: Code;
  /** Always true: tells a public error apart from any other, across copies of `@sf/core`. */
  get [PUBLIC](): true {
    return true;
  }
  /** The HTTP status an HTTP front door answers it with: the one given when it is 400-599, else 400. */
  readonly status: number;

  constructor(message: string, options: PublicErrorOptions<Code> = {}) {
    super(options.code ?? 'SF_PUBLIC_ERROR', message, options.cause === undefined ? {} : { cause: options.cause });
    const status = options.status;
    this.status = Number.isInteger(status) && status! >= 400 && status! <= 599 ? status! : 400;
  }
}

/** Whether `error` is a {@link PublicError} (of any copy of `@sf/core`). */
export function isPublicError(error: unknown): error is PublicError {
  return error instanceof Error && (error as { [PUBLIC]?: unknown })[PUBLIC] === true;
}

/** A service is used in a way its mode or lifecycle does not allow (e.g. `in` models in main mode). */
export class ServiceStateError extends SfError {
  constructor(code: 'SF_MAIN_MODE_INVALID' | 'SF_UNKNOWN_OUTPUT', what: string, options: SfErrorOptions = {}) {
    super(code, what, options);
  }
}

/** A system file (`sf.system.json`) is malformed or names services, models or wires that do not exist. */
export class SystemError extends SfError {
  constructor(what: string, options: SfErrorOptions = {}) {
    super('SF_SYSTEM_INVALID', what, options);
  }
}

/** A `@sf/testkit` harness used wrongly (an unknown model name, no scripted reply), or a plugin failing the conformance suite. */
export class TestkitError extends SfError {
  constructor(
    code: 'SF_TESTKIT_UNKNOWN_MODEL' | 'SF_TESTKIT_NO_REPLY' | 'SF_CONFORMANCE_FAILED',
    what: string,
    options: SfErrorOptions = {},
  ) {
    super(code, what, options);
  }
}
