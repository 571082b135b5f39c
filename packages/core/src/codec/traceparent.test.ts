import { describe, expect, it } from 'vitest';
import { decodeRequest, encodeRequest, MAX_TRACEPARENT } from './envelope.js';
import { packWire } from './msgpack.js';
import { topicPrefix } from './topic.js';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const t = (text: string) => Buffer.from(text, 'ascii').toString('hex');

describe('the traceparent key (tracing on)', () => {
  it('is written after workflow_id only when the envelope has a trace', () => {
    const plain = encodeRequest({ args: {}, workflow_id: 'w' });
    expect(hex(plain)).toBe(`82a4${t('args')}80ab${t('workflow_id')}a1${t('w')}`);
    const traced = encodeRequest({ args: {}, workflow_id: 'w', trace: TRACEPARENT });
    expect(hex(traced)).toBe(`83a4${t('args')}80ab${t('workflow_id')}a1${t('w')}ab${t('traceparent')}d937${t(TRACEPARENT)}`);
  });

  it('reads back as trace, behind a topic too; an envelope without it has no trace property', () => {
    const prefix = topicPrefix('ticks');
    expect(decodeRequest(encodeRequest({ args: { a: 1 }, workflow_id: 'w', trace: TRACEPARENT }, prefix), prefix)).toEqual({
      args: { a: 1 },
      workflow_id: 'w',
      trace: TRACEPARENT,
    });
    expect('trace' in decodeRequest(encodeRequest({ args: {}, workflow_id: null }))).toBe(false);
  });

  it('ignores a traceparent that is not a string or is too long: a peer cannot make the message fail with it', () => {
    for (const odd of [42, null, { a: 1 }, [TRACEPARENT], 'x'.repeat(MAX_TRACEPARENT + 1)]) {
      const decoded = decodeRequest(packWire({ args: { a: 1 }, workflow_id: 'w', traceparent: odd }));
      expect(decoded).toEqual({ args: { a: 1 }, workflow_id: 'w' });
      expect('trace' in decoded).toBe(false);
    }
  });
});
