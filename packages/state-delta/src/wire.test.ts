import { Decimal, UUID } from '@sf/core';
import { encodeValue } from '@sf/core/plugin';
import { describe, expect, it } from 'vitest';
import { decodePublication, decodeSnapshotReply, encodePublication } from './wire.js';

const ID = '123e4567-e89b-12d3-a456-426614174000';

describe('delta state messages of a Python 0.0.3 out side', () => {
  it('reads a publication and a snapshot reply whose workflow_id is a uuid.UUID (a UUID marker) as its string', () => {
    // encodeValue packs a UUID as the marker map, as 0.0.3 packs the uuid.UUID it sends as workflow_id.
    const publication = encodeValue({
      args: { state: { price: new Decimal('1.5') }, is_snapshot: false, current_num: 3 },
      workflow_id: new UUID(ID),
    });
    expect(decodePublication(publication)).toEqual({
      state: { price: new Decimal('1.5') },
      isSnapshot: false,
      num: 3,
      workflowId: ID,
      bytes: publication.length,
    });
    const reply = encodeValue({ return_args: { state: { price: new Decimal('2') }, current_num: 3 }, workflow_id: new UUID(ID) });
    expect(decodeSnapshotReply(reply)).toEqual({ state: { price: new Decimal('2') }, num: 3, workflowId: ID });
  });
});

describe('trace context (tracing on)', () => {
  it('a publication carries its traceparent to the in side, and only when it has one', () => {
    const trace = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const traced = decodePublication(encodePublication({ state: { a: 1 }, isSnapshot: false, num: 3, workflowId: 'w', trace }));
    expect(traced).toMatchObject({ state: { a: 1 }, num: 3, workflowId: 'w', trace });
    const plain = decodePublication(encodePublication({ state: { a: 1 }, isSnapshot: false, num: 3, workflowId: 'w' }));
    expect('trace' in plain).toBe(false);
  });
});
