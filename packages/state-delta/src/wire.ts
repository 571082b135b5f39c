/**
 * The delta state's messages (SPEC §4). Publication: `{"args": {"state": {...}, "is_snapshot":
 * bool, "current_num": int}, "workflow_id": ...}`. Snapshot request: `{"args": {}}`; its reply's
 * `return_args` is `{"state": {...}, "current_num": int}`.
 * Core's codec decodes and encodes the envelopes; this file reads only the delta state's own fields
 * in them, which no model describes (their shape is this type's wire format, not the user's).
 */
import { DecodeError, RemoteError } from '@sf/core';
import { decodeReply, decodeRequest, encodeReply, encodeRequest, isPlainObject, type WireLimits } from '@sf/core/plugin';
import type { StateValue } from './apply-delta.js';

/** One published update. */
export interface Publication {
  /** The delta, or the whole state when `isSnapshot`. */
  readonly state: StateValue;
  /** Whether `state` replaces the whole state. */
  readonly isSnapshot: boolean;
  /** The update's number: 1 for the out side's first update, then +1 per update. */
  readonly num: number;
  /** The workflow id it was sent under. */
  readonly workflowId: string | null;
  /** The W3C `traceparent` it was sent under (tracing on), carried to the in side's `update`. */
  readonly trace?: string | undefined;
  /** Its size on the wire in bytes, for the in side's buffer cap (unknown: 0). */
  readonly bytes?: number;
}

/** The out side's whole state after its update `num` (0: before the first update). */
export interface Snapshot {
  /** The whole state. */
  readonly state: StateValue;
  /** How many updates it holds. */
  readonly num: number;
  /** The workflow id of the reply. */
  readonly workflowId: string | null;
}

/** The frame of one publication, after the topic prefix if one is given. */
export function encodePublication(update: Publication, prefix?: Uint8Array): Uint8Array {
  const args = { state: update.state, is_snapshot: update.isSnapshot, current_num: update.num };
  const envelope =
    update.trace === undefined ? { args, workflow_id: update.workflowId } : { args, workflow_id: update.workflowId, trace: update.trace };
  return encodeRequest(envelope, prefix !== undefined && prefix.length > 0 ? prefix : undefined);
}

/** Reads a publication (its topic prefix already removed) within `limits` (the decoder's defaults if absent). Throws DecodeError. */
export function decodePublication(payload: Uint8Array, limits?: WireLimits): Publication {
  const { args, workflow_id, trace } = decodeRequest(payload, undefined, limits);
  const isSnapshot = args.is_snapshot ?? false;
  if (typeof isSnapshot !== 'boolean') throw badField('is_snapshot', 'a boolean', isSnapshot);
  const publication: { -readonly [K in keyof Publication]: Publication[K] } = {
    state: stateField(args.state, 'args.state'),
    isSnapshot,
    num: numField(args.current_num, 'args.current_num', 1),
    workflowId: workflow_id,
    bytes: payload.length,
  };
  // Only when present: no spread per publication, and no `trace` key with tracing off.
  if (trace !== undefined) publication.trace = trace;
  return publication;
}

/** The body of a snapshot request. */
export function encodeSnapshotRequest(workflowId: string | null): Uint8Array {
  return encodeRequest({ args: {}, workflow_id: workflowId });
}

/** The reply to a snapshot request. */
export function encodeSnapshotReply(state: StateValue, num: number, workflowId: string | null): Uint8Array {
  return encodeReply({ return_args: { state, current_num: num }, workflow_id: workflowId });
}

/** Reads a snapshot reply within `limits` (the decoder's defaults if absent). Throws DecodeError, or RemoteError for an error reply. */
export function decodeSnapshotReply(frame: Uint8Array, limits?: WireLimits): Snapshot {
  const reply = decodeReply(frame, limits);
  if (reply.error !== undefined) throw new RemoteError(reply.error);
  const args = reply.return_args ?? {};
  return {
    state: stateField(args.state, 'return_args.state'),
    num: numField(args.current_num, 'return_args.current_num', 0),
    workflowId: reply.workflow_id,
  };
}

function stateField(value: unknown, path: string): StateValue {
  if (!isPlainObject(value)) throw badField(path, 'a map', value);
  return value as StateValue;
}

function numField(value: unknown, path: string, min: number): number {
  const num = typeof value === 'bigint' && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
  if (typeof num !== 'number' || !Number.isSafeInteger(num) || num < min) throw badField(path, `an integer >= ${min}`, value);
  return num;
}

function badField(path: string, expected: string, value: unknown): DecodeError {
  const received = value === null ? 'nil' : value === undefined ? 'nothing' : Array.isArray(value) ? 'an array' : typeof value;
  return new DecodeError(`Not a delta state message: ${path} must be ${expected}, received ${received}`, {
    argument: path,
    hint: 'Check that the peer is a delta_update_out / delta_update_in state (SPEC §4)',
  });
}
