/**
 * Any JS value ⇄ one MessagePack frame with the SPEC §4 markers (state payloads and the parts of
 * envelopes). The value rules are in `to-wire.ts` and `from-wire.ts`.
 */
import { DecodeError, EncodeError } from '../errors.js';
import { fromWire } from './from-wire.js';
import { packWire, unpackWire } from './msgpack.js';
import { toWire } from './to-wire.js';
import type { WireLimits } from './wire-budget.js';
import { formatPath, WireFault } from './wire-path.js';

/** `value` in wire form; `root` names it in errors (e.g. `args`). Throws EncodeError. */
export function valueToWire(value: unknown, root: string, depth = 0): unknown {
  try {
    return toWire(value, depth);
  } catch (error) {
    if (!(error instanceof WireFault)) throw error;
    throw new EncodeError(`Cannot encode ${root === 'value' ? 'the value' : 'the message'}: ${error.message}`, {
      argument: formatPath(root, error.segments),
      hint: error.hint,
      cause: error,
    });
  }
}

/** `wire` (as decoded) in JS form; `root` names it in errors (e.g. `args`). Throws DecodeError. */
export function valueFromWire(wire: unknown, root: string, depth = 0): unknown {
  try {
    return fromWire(wire, depth);
  } catch (error) {
    if (!(error instanceof WireFault)) throw error;
    throw new DecodeError(`Cannot decode ${root === 'value' ? 'the value' : 'the message'}: ${error.message}`, {
      argument: formatPath(root, error.segments),
      hint: error.hint,
      cause: error,
    });
  }
}

/** One MessagePack frame holding `value`. Throws EncodeError naming the path of what cannot be sent. */
export function encodeValue(value: unknown): Uint8Array {
  return packWire(valueToWire(value, 'value'));
}

/** The value in a frame made by `encodeValue` (or any peer), within `limits`. Throws DecodeError, never anything else. */
export function decodeValue(frame: Uint8Array, limits?: WireLimits): unknown {
  return valueFromWire(unpackWire(frame, 'Value frame', limits), 'value');
}
