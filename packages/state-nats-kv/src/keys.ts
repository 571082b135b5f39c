/** Characters a state key keeps as they are in a KV key; every other byte is written `=XX`. */
const PLAIN = /^[A-Za-z0-9_-]$/;

/**
 * The KV key of one top-level state key: letters, digits, `_` and `-` kept, every other UTF-8 byte
 * (`.`, spaces, `=`, non-ASCII…) written `=XX` in hex, and the empty key as `=`. Reversible, and
 * always a valid NATS KV key of a single token (so a price level `"50000.50"` is `50000=2E50`).
 */
export function encodeKey(key: string): string {
  if (key === '') return '=';
  let out = '';
  for (const char of key) {
    if (PLAIN.test(char)) out += char;
    else for (const byte of Buffer.from(char)) out += `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The state key of a KV key written by {@link encodeKey}; undefined for one it could not have written. */
export function decodeKey(encoded: string): string | undefined {
  if (encoded === '=') return '';
  if (!/^(?:[A-Za-z0-9_-]|=[0-9A-F]{2})+$/.test(encoded)) return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < encoded.length; i++) {
    if (encoded[i] === '=') {
      bytes.push(Number.parseInt(encoded.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(encoded.charCodeAt(i));
  }
  const key = Buffer.from(bytes).toString('utf8');
  return encodeKey(key) === encoded ? key : undefined;
}
