import { Decimal, UUID } from '@sf/core';
import { decodeReply, encodeReply, encodeRequest } from '@sf/core/plugin';
import { describe, expect, it } from 'vitest';
import { replyOf } from './snapshot-reply.js';

describe('replyOf (a full state snapshot reply made from its publication)', () => {
  const values: Record<string, unknown>[] = [
    {},
    { version: 2 },
    { book: { '101.5': new Decimal('3.25') }, ids: new Set([new UUID('0b8f6c2e-7c1d-4b7a-9f4e-2d3c5a6b7c8d')]), when: new Date(0) },
    Object.fromEntries(Array.from({ length: 70_000 }, (_, i) => [`k${i}`, i])),
  ];
  for (const [n, value] of values.entries())
    it(`gives the bytes encodeReply gives (value ${n})`, () => {
      for (const workflowId of [null, 'w-2']) {
        const frame = encodeRequest({ args: value, workflow_id: workflowId });
        const reply = replyOf(frame);
        expect(Buffer.from(reply).equals(Buffer.from(encodeReply({ return_args: value, workflow_id: workflowId })))).toBe(true);
        expect(decodeReply(reply)).toEqual({ return_args: value, workflow_id: workflowId });
      }
    });

  it('decodes and encodes a frame that does not start as the codec writes one', () => {
    // The same request with its keys the other way round (as another encoder may write it).
    const frame = Uint8Array.of(0x82, 0xab, ...Buffer.from('workflow_id'), 0xc0, 0xa4, ...Buffer.from('args'), 0x81, 0xa1, 0x61, 0x01);
    expect(decodeReply(replyOf(frame))).toEqual({ return_args: { a: 1 }, workflow_id: null });
  });
});
