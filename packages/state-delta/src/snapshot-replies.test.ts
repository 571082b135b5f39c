import { Decimal } from '@sf/core';
import { decodeReply } from '@sf/core/plugin';
import { describe, expect, it } from 'vitest';
import { SnapshotReplies } from './snapshot-replies.js';
import { encodeSnapshotReply } from './wire.js';

describe('SnapshotReplies', () => {
  it('encodes the state once per number: the same frame for every request at that number', () => {
    const replies = new SnapshotReplies();
    const state = { a: new Decimal('1.5'), b: 'x' };
    const first = replies.reply(state, 3, null);
    expect(replies.reply(state, 3, null)).toBe(first);
    expect(first).toEqual(encodeSnapshotReply(state, 3, null));
    const next = replies.reply({ a: 2 }, 4, null);
    expect(next).not.toBe(first);
    expect(decodeReply(next)).toEqual({ return_args: { state: { a: 2 }, current_num: 4 }, workflow_id: null });
  });

  it("echoes a request's workflow id on the reply encoded for that number, byte for byte as a fresh encode", () => {
    const replies = new SnapshotReplies();
    const state = { a: new Decimal('1.5'), nested: { deep: [1, 2, 3] } };
    const nil = replies.reply(state, 7, null);
    for (const id of ['wf-1', 'x'.repeat(40), 'é'.repeat(300)]) {
      const reply = replies.reply(state, 7, id);
      expect(reply).toEqual(encodeSnapshotReply(state, 7, id));
      expect(decodeReply(reply).workflow_id).toBe(id);
    }
    // The state was not encoded again: the nil reply is still the one made first.
    expect(replies.reply(state, 7, null)).toBe(nil);
  });
});
