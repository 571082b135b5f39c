import type { StateValue } from './apply-delta.js';
import { encodeSnapshotReply } from './wire.js';

/**
 * The out side's encoded snapshot replies, made once per number: N requests at one number cost one
 * encode of the state. The reply echoes the request's workflow id; readers send none (nil), so the
 * reply to nil is kept, and one to another id is that reply with its last value, the nil
 * `workflow_id`, swapped for the id (the codec writes `workflow_id` last), so varying ids does not
 * make each request encode the state again.
 */
export class SnapshotReplies {
  #num = -1;
  #nil: Uint8Array | undefined;
  /** The bytes of an empty reply up to its `workflow_id` value: the same in every reply. */
  readonly #head = encodeSnapshotHead();

  /** The reply to a request with `workflowId` for `state` at number `num`. */
  reply(state: StateValue, num: number, workflowId: string | null): Uint8Array {
    if (num !== this.#num || this.#nil === undefined) {
      this.#nil = encodeSnapshotReply(state, num, null);
      this.#num = num;
    }
    if (workflowId === null) return this.#nil;
    const idReply = encodeSnapshotReply({}, 0, workflowId);
    // Only when the codec wrote what this relies on; otherwise the whole reply is encoded.
    if (this.#nil.at(-1) !== NIL || !startsWith(idReply, this.#head)) return encodeSnapshotReply(state, num, workflowId);
    const id = idReply.subarray(this.#head.length);
    const frame = new Uint8Array(this.#nil.length - 1 + id.length);
    frame.set(this.#nil.subarray(0, -1), 0);
    frame.set(id, this.#nil.length - 1);
    return frame;
  }
}

/** MessagePack nil. */
const NIL = 0xc0;

function encodeSnapshotHead(): Uint8Array {
  const empty = encodeSnapshotReply({}, 0, null);
  return empty.subarray(0, -1);
}

function startsWith(bytes: Uint8Array, head: Uint8Array): boolean {
  if (bytes.length < head.length) return false;
  for (let i = 0; i < head.length; i++) if (bytes[i] !== head[i]) return false;
  return true;
}
