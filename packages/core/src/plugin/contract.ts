import type { ReplyError, ReplyFault } from '../codec/index.js';
import type { WireLimits } from '../codec/wire-budget.js';
import type { ValidationError } from '../errors.js';
import type { EndpointStats } from '../metrics/endpoint-stats.js';
import type { ArgumentModel } from '../types/spec.js';

/** `in` types receive messages or state; `out` types are called through `to_send`. */
export type Side = 'in' | 'out';

/** A connection carries messages; a state replicates a value. */
export type Kind = 'connection' | 'state';

/** Required and optional argument models, as in a service model. */
export interface ArgumentModels {
  /** Arguments that must be present. */
  required?: ArgumentModel | null;
  /** Arguments that may be present. */
  optional?: ArgumentModel | null;
}

/** Minimal structured logger handed to plugins (pino-compatible). */
export interface PluginLogger {
  /** Detailed diagnostics. */
  debug(obj: object | string, msg?: string): void;
  /** Normal operation. */
  info(obj: object | string, msg?: string): void;
  /** Something went wrong but the service goes on. */
  warn(obj: object | string, msg?: string): void;
  /** Something failed. */
  error(obj: object | string, msg?: string): void;
}

/** What a plugin's factory receives for one model of one service. */
export interface EndpointContext {
  /** Path of the service file, for messages. */
  readonly service: string;
  /** Name of the model, e.g. `cancel_order`. */
  readonly name: string;
  /** Model path, e.g. `connection_models.in.cancel_order`. */
  readonly modelPath: string;
  /** Socket name → address, as given in the addresses file (validated against `addresses`); the first where it lists several. */
  readonly addresses: Readonly<Record<string, string>>;
  /**
   * Socket name → every address the addresses file gives it: one, or several for a connecting
   * socket that reaches each replica of its peer (connect to all of them). Absent in contexts built
   * outside the runner: use `addresses`.
   */
  readonly addressLists?: Readonly<Record<string, readonly string[]>>;
  /** Validated creation arguments (required and optional merged). */
  readonly creation: Readonly<Record<string, unknown>>;
  /** Validated connection/state arguments (required and optional merged). */
  readonly arguments: Readonly<Record<string, unknown>>;
  /** Logger bound to this endpoint. */
  readonly logger: PluginLogger;
  /**
   * What one inbound frame may hold (depth, elements), from the creation arguments in
   * `WIRE_LIMIT_ARGUMENTS`; pass it to `decodeReply`/`decodeRequest`/`decodeValue` for frames this
   * endpoint reads itself. Absent in contexts built outside the runner: the decoders' defaults apply.
   */
  readonly limits?: WireLimits;
  /**
   * In-connections: hand one inbound frame to the runner. Gives the encoded reply for types that
   * reply, else `undefined`; never throws or rejects (bad frames become error replies). It gives
   * it at once when the handler finished synchronously, else a promise of it: `await` it, or tell
   * the two apart with `isPromiseLike` to go on to the next message without waiting a turn.
   */
  receive(frame: Uint8Array): Uint8Array | undefined | Promise<Uint8Array | undefined>;
  /**
   * In-connections, for a transport that decodes messages itself (JSON over HTTP): checks `args`
   * against the model, calls the handler with `workflowId` (or a new one), checks the return, and
   * gives the outcome as an object, never a frame: the return args, or a typed failure safe to show
   * the peer. Never throws or rejects; counted and logged as `receive` is. Like `receive`, it gives
   * the outcome at once when the handler finished synchronously, else a promise of it. Absent in
   * contexts built by an older runner.
   */
  handle?(args: unknown, workflowId: string | null): Handled | Promise<Handled>;
  /** In-connections: the model's messages in JSON form (see {@link JsonForms}). Absent where `handle` is. */
  readonly json?: JsonForms;
  /**
   * States: checks a state value against the model's arguments. `partial` checks a delta: every
   * key optional, `null` allowed (it deletes the key). Returns the first problem, or `undefined`.
   */
  check(value: unknown, partial?: boolean): ValidationError | undefined;
  /**
   * In-states: makes `value` the state's current value in every handler's `states`, then runs
   * the model's `on_update` (its errors are logged, never thrown). Call it only with consistent
   * values. Gives a promise only while an `on_update` is still running (like `receive`). `trace`:
   * the `traceparent` the value was published under (`RequestEnvelope.trace`), when it had one.
   */
  update(value: Record<string, unknown>, workflowId: string | null, trace?: string): void | Promise<void>;
  /**
   * Reports one inbound message this endpoint dropped (or answered with an error) without handing
   * it to `receive`/`update` — e.g. a state publication it cannot decode (`reason` `undecodable`)
   * or that fails the model (`bad_state`). The runner logs it once at warn (`message`, with
   * `reason` and `details` such as `{ err }`) and counts it by reason; do not log it again.
   */
  reject(reason: string, message: string, details?: object): void;
  /**
   * This endpoint's counters while metrics are on (`sf run --metrics`), else `undefined`: a plugin
   * may count events (`stats?.count('retries')`), report values read at scrape time
   * (`stats?.report('current_num', () => num)`) and, for an in-state, say it lost its writer
   * (`stats?.lost()`: not ready until the next `update`). See docs/plugins.md, "Metrics".
   */
  readonly stats?: EndpointStats;
}

/** The outcome of {@link EndpointContext.handle}: the return args, or a failure to answer with. */
export type Handled = HandledOk | HandledFailure;

/** The handler answered; its return args passed the model. */
export interface HandledOk {
  /** Success. */
  readonly ok: true;
  /** The workflow id the message was handled under (the one given, or a new one). */
  readonly workflowId: string;
  /** The checked return args (`{}` for a model that declares none). */
  readonly returnArgs: Record<string, unknown>;
}

/** The message was refused or its handling failed; already logged and counted. */
export interface HandledFailure {
  /** Failure. */
  readonly ok: false;
  /** The workflow id, `null` when none was given and the args were refused before one was made. */
  readonly workflowId: string | null;
  /**
   * Whose fault: `'request'` (the args broke the model), `'public'` (the handler threw a
   * `PublicError`, meant for the peer), `'service'` (anything else on this side).
   */
  readonly fault: ReplyFault | 'public';
  /** What the peer may be told (type, code, message): the same as an error reply's `error` map. */
  readonly error: ReplyError;
  /** For `'public'`: the `PublicError`'s HTTP status (default 400). */
  readonly status?: number;
}

/** One model's messages in JSON form (docs/plugins.md, "JSON forms"), for a transport that carries JSON. */
export interface JsonForms {
  /** JSON Schema (2020-12) of the args in JSON form. */
  readonly argsSchema: object;
  /** JSON Schema (2020-12) of the return args in JSON form. */
  readonly returnsSchema: object;
  /** Args as `JSON.parse` gave them → args for `handle` (Decimal, UUID, Date… from their strings); throws a ValidationError naming the path. */
  argsFromJson(json: unknown): unknown;
  /** Return args from `handle` → their JSON form, for `JSON.stringify`. */
  returnsToJson(returnArgs: Record<string, unknown>): unknown;
}

/** One message an out-connection is asked to send. */
export interface OutboundMessage {
  /** Validated arguments. */
  readonly args: Readonly<Record<string, unknown>>;
  /** Workflow id to carry. */
  readonly workflowId: string | null;
  /**
   * The W3C `traceparent` to carry, only while tracing is on: a plugin that encodes its own
   * envelope (a state publication) passes it on as `RequestEnvelope.trace`; `frame()` holds it already.
   */
  readonly trace?: string | undefined;
  /**
   * The encoded request envelope (SPEC §4); with `prefix` (a topic prefix), the prefix followed by
   * the envelope, packed in one buffer. Encoded on first use.
   */
  frame(prefix?: Uint8Array): Uint8Array;
}

/** A reply given as an object by a transport that does not speak MessagePack (e.g. a function call). */
export interface ReplyObject {
  /** The reply's return arguments. */
  readonly return_args: Record<string, unknown> | null;
}

/** A live endpoint for one model: opened at start, closed at shutdown. */
export interface Endpoint {
  /** Bind or connect; resolves when ready to send or receive. */
  open(): Promise<void>;
  /** Stop taking new inbound messages; replies to messages already received still go out. */
  pause?(): Promise<void>;
  /** Stop receiving and release resources; safe to call twice. */
  close(): Promise<void>;
  /**
   * Out types: send one message. Types that reply resolve to the reply, as frame bytes or as an
   * object; others resolve to `undefined`.
   */
  send?(message: OutboundMessage): Promise<Uint8Array | ReplyObject | undefined>;
}

/** Everything the framework needs to know about one connection or state type. */
export interface TypeDefinition {
  /** `in` or `out`. */
  side: Side;
  /** `connection` or `state`. */
  kind: Kind;
  /** Type names this type can talk to on the other end. */
  peers: readonly string[];
  /** Socket names this type needs in the addresses file. */
  addresses: readonly string[];
  /** Socket names this type may have in the addresses file (e.g. a full state's snapshot `replyer`). */
  optionalAddresses?: readonly string[];
  /** Other names this type answers to (e.g. `external_request`). */
  aliases?: readonly string[];
  /** Creation arguments this type accepts. */
  creationArguments?: ArgumentModels;
  /** Connection arguments (`*_connection_arguments`) or state arguments (`*_state_arguments`). */
  typeArguments?: ArgumentModels;
  /** For `in` connections: the creation argument that holds the handler, e.g. `on_new_request`. */
  handler?: string;
  /**
   * Out types whose `to_send` args have a fixed shape of their own (a delta state's
   * `{ state, is_snapshot }`): that shape is checked instead of the model's arguments, which then
   * describe the state value (plugins check it with `context.check`).
   */
  sendModel?: ArgumentModels;
  /** Whether a message of this type gets a reply (and `to_send` resolves to return arguments). */
  replies: boolean;
  /** One-line description, shown in listings. */
  description?: string;
  /**
   * `in` types called from outside the system (an HTTP front door): `sf check`, `sf graph` and
   * `sf up` treat each of its models as an entry point without an `entries` declaration. `docs`:
   * the path of a page for people on its address (e.g. `/docs/`), linked from `sf up --ui`.
   */
  entry?: { readonly docs?: string };
  /** Builds the live endpoint for one model. */
  create(context: EndpointContext): Endpoint | Promise<Endpoint>;
}

/** A plugin: one package's set of types. */
export interface Plugin {
  /** Package name, e.g. `@sf/conn-zmq-reqrep`. */
  name: string;
  /** The `@sf/core` major version this plugin was built against. */
  coreMajor: number;
  /** Type name → definition. */
  types: Readonly<Record<string, TypeDefinition>>;
}
