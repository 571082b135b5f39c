import { describe, expect, it } from 'vitest';
import { frameToLine, LineReader, lineToFrame } from './framing.js';

describe('frameToLine / lineToFrame', () => {
  it('round-trips every byte value through one JSON line', () => {
    const frame = Uint8Array.from({ length: 256 }, (_, i) => i);
    const line = frameToLine(frame);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({ frame: Buffer.from(frame).toString('base64') });
    const back = lineToFrame(line.slice(0, -1));
    expect('frame' in back && [...back.frame]).toEqual([...frame]);
  });

  it('encodes only the bytes of a frame that is a view into a larger buffer', () => {
    const whole = Uint8Array.from([9, 1, 2, 3, 9]);
    const back = lineToFrame(frameToLine(whole.subarray(1, 4)));
    expect('frame' in back && [...back.frame]).toEqual([1, 2, 3]);
  });

  it('says why a line carries no frame', () => {
    expect(lineToFrame('not json')).toEqual({ problem: 'the line is not JSON' });
    expect(lineToFrame('[1,2]')).toEqual({ problem: 'the line is not an object with a string "frame"' });
    expect(lineToFrame('{"frame":3}')).toEqual({ problem: 'the line is not an object with a string "frame"' });
    expect(lineToFrame('{"frame":"a*b="}')).toEqual({ problem: '"frame" is not base64' });
    expect(lineToFrame('{"frame":"abc"}')).toEqual({ problem: '"frame" is not base64' });
  });
});

describe('LineReader', () => {
  it('returns every line a chunk completes, in order', () => {
    const reader = new LineReader();
    expect(reader.push(Buffer.from('one\ntwo\nthree\n'))).toEqual(['one', 'two', 'three']);
    expect(reader.pendingBytes).toBe(0);
  });

  it('keeps a partial line until its newline arrives, across several chunks', () => {
    const reader = new LineReader();
    expect(reader.push(Buffer.from('fir'))).toEqual([]);
    expect(reader.pendingBytes).toBe(3);
    expect(reader.push(Buffer.from('st\nsec'))).toEqual(['first']);
    expect(reader.push(Buffer.from('o'))).toEqual([]);
    expect(reader.push(Buffer.from('nd\n'))).toEqual(['second']);
    expect(reader.pendingBytes).toBe(0);
  });

  it('joins a UTF-8 character split between chunks', () => {
    const bytes = Buffer.from('prix: 3€\n');
    const cut = bytes.indexOf(0xe2) + 1;
    const reader = new LineReader();
    expect(reader.push(bytes.subarray(0, cut))).toEqual([]);
    expect(reader.push(bytes.subarray(cut))).toEqual(['prix: 3€']);
  });

  it('drops a trailing carriage return and skips blank lines', () => {
    const reader = new LineReader();
    expect(reader.push(Buffer.from('a\r\n\n  \r\nb\r'))).toEqual(['a']);
    expect(reader.push(Buffer.from('\n'))).toEqual(['b']);
  });
});
