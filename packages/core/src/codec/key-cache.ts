/**
 * The decoder's cache of short map keys. @msgpack/msgpack's own cache (16 keys per length) copies
 * the key's bytes into a new Buffer on every miss, which costs microseconds: a state with many
 * keys missed on nearly every key (a 1,000,000-key snapshot took seconds to decode, and each
 * one-key delta of a big state 5× its decoding at 10 keys). This one is direct-mapped by a hash of
 * the bytes and holds only the string, so a miss costs the string alone.
 */
import type { DecoderOptions } from '@msgpack/msgpack';

/** Longest key (in bytes) that is looked up in the cache. */
const MAX_KEY_BYTES = 16;
/** Slots of the cache (a power of two). */
const SLOTS = 4096;

const utf8 = new TextDecoder();

/** A key decoder for `new Decoder({ keyDecoder })`: ASCII keys up to 16 bytes are cached, others decoded as UTF-8. */
export class KeyCache implements NonNullable<DecoderOptions['keyDecoder']> {
  readonly #strings: string[] = new Array<string>(SLOTS).fill('');
  readonly #codes: number[] = [];

  /** Whether a key of `byteLength` bytes goes through {@link decode}. */
  canBeCached(byteLength: number): boolean {
    return byteLength > 0 && byteLength <= MAX_KEY_BYTES;
  }

  /** The key in `bytes` at `offset`, `byteLength` bytes of UTF-8. */
  decode(bytes: Uint8Array, offset: number, byteLength: number): string {
    let hash = 0x811c9dc5;
    for (let i = offset; i < offset + byteLength; i++) {
      const byte = bytes[i] as number;
      if (byte > 0x7f) return utf8.decode(bytes.subarray(offset, offset + byteLength));
      hash = Math.imul(hash ^ byte, 0x01000193);
    }
    const slot = (hash >>> 0) & (SLOTS - 1);
    const cached = this.#strings[slot] as string;
    if (cached.length === byteLength && sameAscii(cached, bytes, offset)) return cached;
    const codes = this.#codes;
    codes.length = byteLength;
    for (let i = 0; i < byteLength; i++) codes[i] = bytes[offset + i] as number;
    const key = String.fromCharCode.apply(null, codes);
    this.#strings[slot] = key;
    return key;
  }
}

/** Whether the ASCII string `text` is spelt by the bytes at `offset`. */
function sameAscii(text: string, bytes: Uint8Array, offset: number): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) !== bytes[offset + i]) return false;
  return true;
}
