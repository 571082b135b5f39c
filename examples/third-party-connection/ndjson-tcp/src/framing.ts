/**
 * The transport's own framing: one JSON object per line, `{"frame":"<base64>"}`, where the frame
 * is the framework's encoded message exactly as core hands it over. Core owns the MessagePack
 * envelope (and with it Decimal, UUID, bytes…); this package only moves its bytes.
 */

const NEWLINE = 0x0a;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The line (newline included) that carries `frame`. */
export function frameToLine(frame: Uint8Array): string {
  const base64 = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).toString('base64');
  return `${JSON.stringify({ frame: base64 })}\n`;
}

/** The frame one line carries, or a sentence saying why the line carries none. */
export function lineToFrame(line: string): { frame: Uint8Array } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { problem: 'the line is not JSON' };
  }
  const frame = typeof value === 'object' && value !== null ? (value as { frame?: unknown }).frame : undefined;
  if (typeof frame !== 'string') return { problem: 'the line is not an object with a string "frame"' };
  if (frame.length % 4 !== 0 || !BASE64.test(frame)) return { problem: '"frame" is not base64' };
  return { frame: Buffer.from(frame, 'base64') };
}

/**
 * Splits a byte stream into lines. A chunk may end mid-line (or mid-character): the partial line
 * is kept until its newline arrives. A trailing `\r` is dropped and blank lines are skipped.
 */
export class LineReader {
  #pending: Buffer[] = [];
  #pendingBytes = 0;

  /** Bytes of the unfinished line held so far. */
  get pendingBytes(): number {
    return this.#pendingBytes;
  }

  /** Feeds one chunk; returns the lines it completes, in order. */
  push(chunk: Uint8Array): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      this.#pending.push(Buffer.from(chunk.subarray(start, end)));
      const line = Buffer.concat(this.#pending).toString('utf8').replace(/\r$/, '');
      this.#pending = [];
      this.#pendingBytes = 0;
      if (line.trim() !== '') lines.push(line);
      start = end + 1;
    }
    if (start < chunk.length) {
      this.#pending.push(Buffer.from(chunk.subarray(start)));
      this.#pendingBytes += chunk.length - start;
    }
    return lines;
  }
}
