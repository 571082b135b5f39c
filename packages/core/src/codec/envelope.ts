/**
 * The message envelopes of SPEC §4. Request / publication: `{"args": {...}, "workflow_id": str|nil}`.
 * Reply: `{"return_args": {...}|nil, "workflow_id": str|nil}`, plus `"error": {"type", "message", "code"?}`
 * for an error reply (our extension; Python ignores it). Keys are written in that order; we always
 * write `workflow_id` as a string or nil. On reading, a missing `workflow_id` is nil, a marker
 * that stands for a scalar (Python 0.0.3 sends a `uuid.UUID` object as the UUID marker, in
 * requests, publications and the replies that echo them) becomes its string form, and unknown
 * top-level keys are ignored, so either side may add keys later.
 *
 * Our extension: a request/publication sent under a trace (tracing on, docs/observability.md) adds
 * `"traceparent": str`, the W3C trace context, after `workflow_id`. It is written only when present;
 * a 0.0.3 peer reads `args` and `workflow_id` with `.get` and never sees it. On reading, a string of
 * at most {@link MAX_TRACEPARENT} characters is kept as it is (the tracer checks its form and
 * ignores a bad one); anything else there is ignored, never an error.
 */
import { DecodeError, EncodeError } from '../errors.js';
import { isPlainObject } from '../util/describe-value.js';
import { scalarMarkerText } from './from-wire.js';
import { assertFrame, packWire, unpackWire } from './msgpack.js';
import { stripTopic } from './topic.js';
import { valueFromWire, valueToWire } from './values.js';
import type { WireLimits } from './wire-budget.js';
import { WireFault } from './wire-path.js';

/** A request or publication. */
export interface RequestEnvelope {
  /** The message's arguments. */
  args: Record<string, unknown>;
  /** Workflow id carried along, or null. */
  workflow_id: string | null;
  /** The W3C `traceparent` it was sent under (wire key `traceparent`); absent unless tracing is on somewhere. */
  trace?: string;
}

/** Characters of a `traceparent` kept at most (version 00 has 55; later versions may add fields). */
export const MAX_TRACEPARENT = 256;

/** What an error reply says went wrong (built by `encodeErrorReply`, see docs/errors.md). */
export interface ReplyError {
  /** Error class, e.g. `ValidationError`. */
  type: string;
  /** Human-readable message, written for the peer. */
  message: string;
  /** Stable code, e.g. `SF_VALIDATION_FAILED` (our extension; absent from older peers). */
  code?: string;
}

/** A reply to a request. */
export interface ReplyEnvelope {
  /** The return arguments, or null (also in an error reply). */
  return_args: Record<string, unknown> | null;
  /** The request's workflow id, or null. */
  workflow_id: string | null;
  /** Present in an error reply. */
  error?: ReplyError;
}

function kind(value: unknown): string {
  if (value === null) return 'nil';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Uint8Array) return 'bytes';
  if (isPlainObject(value)) return 'a map';
  return typeof value === 'object' ? `a ${Object.getPrototypeOf(value)?.constructor?.name ?? 'object'}` : `a ${typeof value}`;
}

function workflowIdToWire(envelope: { workflow_id?: unknown }): string | null {
  const id = envelope.workflow_id;
  if (id === undefined || id === null) return null;
  if (typeof id !== 'string')
    throw new EncodeError(`workflow_id must be a string or null, received ${kind(id)}`, { argument: 'workflow_id' });
  return id;
}

function argsToWire(value: unknown, name: string): unknown {
  if (!isPlainObject(value)) throw new EncodeError(`${name} must be a plain object, received ${kind(value)}`, { argument: name });
  return valueToWire(value, name, 1);
}

/** One frame holding a request/publication, after `prefix` (a topic prefix) if given. Throws EncodeError. */
export function encodeRequest(envelope: RequestEnvelope, prefix?: Uint8Array): Uint8Array {
  const args = argsToWire(envelope.args, 'args');
  const trace = envelope.trace;
  if (trace === undefined) return packWire({ args, workflow_id: workflowIdToWire(envelope) }, prefix);
  if (typeof trace !== 'string') throw new EncodeError('trace must be a W3C traceparent string', { argument: 'trace' });
  return packWire({ args, workflow_id: workflowIdToWire(envelope), traceparent: trace }, prefix);
}

/** One frame holding a reply. Throws EncodeError. */
export function encodeReply(envelope: ReplyEnvelope): Uint8Array {
  const returnArgs = envelope.return_args == null ? null : argsToWire(envelope.return_args, 'return_args');
  const workflowId = workflowIdToWire(envelope);
  const error = envelope.error;
  if (error === undefined) return packWire({ return_args: returnArgs, workflow_id: workflowId });
  if (
    !isPlainObject(error) ||
    typeof error.type !== 'string' ||
    typeof error.message !== 'string' ||
    !['string', 'undefined'].includes(typeof error.code)
  ) {
    throw new EncodeError('error must be {type: string, message: string} with an optional code: string', { argument: 'error' });
  }
  const wireError =
    error.code === undefined
      ? { type: error.type, message: error.message }
      : { type: error.type, message: error.message, code: error.code };
  return packWire({ return_args: returnArgs, workflow_id: workflowId, error: wireError });
}

function envelopeMap(frame: Uint8Array, what: string, required: string, limits?: WireLimits): Record<string, unknown> {
  const top = unpackWire(frame, what, limits);
  if (!isPlainObject(top) || !(required in top)) {
    throw new DecodeError(
      `${what} is ${isPlainObject(top) ? `a map without "${required}"` : kind(top)}, ` +
        `not a ${what === 'Reply frame' ? 'reply' : 'request'} envelope`,
      {
        hint: `Expected {"${required}": {...}, "workflow_id": str|nil} (SPEC §4)`,
      },
    );
  }
  return top;
}

/**
 * The workflow id of a decoded envelope in its string form: a string, nil (or missing), or a
 * Decimal/UUID/datetime marker (see the module comment). Throws DecodeError for anything else.
 */
function workflowIdFromWire(top: { workflow_id?: unknown }): string | null {
  const id = top.workflow_id;
  if (id === undefined || id === null) return null;
  if (typeof id === 'string') return id;
  let text: string | undefined;
  try {
    text = scalarMarkerText(id);
  } catch (error) {
    if (!(error instanceof WireFault)) throw error;
    throw new DecodeError(`workflow_id is a malformed marker: ${error.message}`, {
      argument: 'workflow_id',
      hint: error.hint,
      cause: error,
    });
  }
  if (text !== undefined) return text;
  throw new DecodeError(`workflow_id must be a string, nil or a UUID/Decimal/datetime marker, received ${kind(id)}`, {
    argument: 'workflow_id',
    hint: 'Send the workflow id as a string (SPEC §4)',
  });
}

function argsFromWire(value: unknown, name: string): Record<string, unknown> {
  if (!isPlainObject(value)) throw new DecodeError(`${name} must be a map, received ${kind(value)}`, { argument: name });
  const args = valueFromWire(value, name, 1);
  if (!isPlainObject(args)) throw new DecodeError(`${name} must be a map, received a marker for ${kind(args)}`, { argument: name });
  return args;
}

/**
 * The request/publication in `frame`. With `prefix`, the frame must start with it; without, a
 * leading topic is skipped (see `topic.ts`). `limits` bounds what the frame may hold (see
 * `wire-budget.ts`). Throws DecodeError, never anything else.
 */
export function decodeRequest(frame: Uint8Array, prefix?: Uint8Array, limits?: WireLimits): RequestEnvelope {
  assertFrame(frame, 'Request frame');
  const top = envelopeMap(stripTopic(frame, prefix), 'Request frame', 'args', limits);
  const envelope: RequestEnvelope = { args: argsFromWire(top.args, 'args'), workflow_id: workflowIdFromWire(top) };
  const trace = top.traceparent;
  if (typeof trace === 'string' && trace.length <= MAX_TRACEPARENT) envelope.trace = trace;
  return envelope;
}

/** The reply in `frame`, within `limits` (see `wire-budget.ts`). Throws DecodeError, never anything else. */
export function decodeReply(frame: Uint8Array, limits?: WireLimits): ReplyEnvelope {
  const top = envelopeMap(frame, 'Reply frame', 'return_args', limits);
  const returnArgs = top.return_args === null ? null : argsFromWire(top.return_args, 'return_args');
  const reply: ReplyEnvelope = { return_args: returnArgs, workflow_id: workflowIdFromWire(top) };
  const error = top.error;
  if (error === undefined || error === null) return reply;
  if (!isPlainObject(error) || typeof error.type !== 'string' || typeof error.message !== 'string') {
    throw new DecodeError(`error must be a map {"type": str, "message": str}, received ${kind(error)}`, { argument: 'error' });
  }
  reply.error =
    typeof error.code === 'string'
      ? { type: error.type, message: error.message, code: error.code }
      : { type: error.type, message: error.message };
  return reply;
}
