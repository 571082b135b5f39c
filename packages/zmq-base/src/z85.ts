/**
 * Z85 (ZeroMQ RFC 32), the text form of CURVE keys: 4 bytes ↔ 5 characters. Used to check key
 * text and to name the binary client keys that ZAP requests carry.
 */
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#';
const VALUES = new Map([...ALPHABET].map((char, index) => [char, index]));

/** Characters of a z85 CURVE key (32 bytes). */
export const Z85_KEY_LENGTH = 40;

/** Encodes `bytes` (a multiple of 4 long) as z85 text. */
export function z85Encode(bytes: Uint8Array): string {
  if (bytes.length % 4 !== 0) throw new RangeError(`z85 encodes whole 4-byte groups; got ${bytes.length} bytes`);
  let text = '';
  for (let offset = 0; offset < bytes.length; offset += 4) {
    let value =
      ((bytes[offset] ?? 0) * 2 ** 24 + ((bytes[offset + 1] ?? 0) << 16) + ((bytes[offset + 2] ?? 0) << 8) + (bytes[offset + 3] ?? 0)) >>>
      0;
    let group = '';
    for (let i = 0; i < 5; i++) {
      group = ALPHABET[value % 85] + group;
      value = Math.floor(value / 85);
    }
    text += group;
  }
  return text;
}

/** Decodes z85 text (a multiple of 5 long); `undefined` when it is not valid z85. */
export function z85Decode(text: string): Uint8Array | undefined {
  if (text.length % 5 !== 0) return undefined;
  const bytes = new Uint8Array((text.length / 5) * 4);
  for (let offset = 0; offset < text.length; offset += 5) {
    let value = 0;
    for (let i = 0; i < 5; i++) {
      const digit = VALUES.get(text.charAt(offset + i));
      if (digit === undefined) return undefined;
      value = value * 85 + digit;
    }
    if (value > 0xffffffff) return undefined;
    const at = (offset / 5) * 4;
    bytes[at] = value >>> 24;
    bytes[at + 1] = (value >>> 16) & 0xff;
    bytes[at + 2] = (value >>> 8) & 0xff;
    bytes[at + 3] = value & 0xff;
  }
  return bytes;
}

/** Whether `text` is a z85 CURVE key: 40 characters of the z85 alphabet that decode to 32 bytes. */
export function isZ85Key(text: unknown): text is string {
  return typeof text === 'string' && text.length === Z85_KEY_LENGTH && z85Decode(text) !== undefined;
}

/** A key's short id for log lines: its first 8 characters, never the whole key. */
export function keyId(publicKey: string): string {
  return `${publicKey.slice(0, 8)}…`;
}
