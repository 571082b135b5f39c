import { packRaw, Raw, type RawValue } from './raw-msgpack.js';

/** A deterministic random source (mulberry32) returning numbers in [0, 1). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One generated message: its frames (one, or several for a multi-part message) and how it was made. */
export interface FuzzMessage {
  /** The frames to send as one message. */
  readonly frames: Uint8Array[];
  /** The generator that made it, e.g. `valid`, `flip`, `giant-length`. */
  readonly kind: string;
}

/** Length headers that claim far more data than follows: array32, map32, str32, bin32, ext32, array16, map16. */
const GIANT_HEADERS = [
  'ddffffffff',
  'dfffffffff',
  'dbffffffff',
  'c6ffffffff',
  'c9ffffffff01',
  'dcffff',
  'deffff',
  'db7fffffff',
  'c6ffffff00',
].map((hex) => Buffer.from(hex, 'hex'));

/** Marker maps that are wrong (bad fields, two markers) or merely look like markers. */
const MARKERS: RawValue[] = [
  { __decimal__: true, as_str: 'one point five' },
  { __decimal__: true },
  { __decimal__: false, as_str: '1' },
  { __decimal__: true, as_str: '1', extra: 1 },
  { __set__: true, value: 'not a list' },
  { __set__: true, value: [[1], { a: 1 }] },
  { __uuid__: true, as_str: 'not-a-uuid' },
  { __uuid__: true, as_str: 5 },
  { __datetime__: true, as_str: '2020-13-45T99:00:00' },
  { __decimal__: true, __uuid__: true, as_str: '1' },
  { __decimals__: true, as_str: '1' },
  { __unknown__: true, value: 1 },
  { __proto__x: 1 },
];

/**
 * Hostile frames for one endpoint: random bytes, and valid frames (from `valid`) with bytes flipped,
 * cut short, spliced together, nested deeply, given giant length headers, wrapped in wrong
 * envelopes or bad marker maps, grown to hundreds of kilobytes, or split into several frames.
 * Deterministic for a seed.
 */
export class FrameFuzzer {
  readonly #random: () => number;
  readonly #valid: (index: number) => Uint8Array;
  readonly #multipart: boolean;
  #index = 0;

  /** `multipart`: also make multi-part messages (for sockets where one message is one frame). */
  constructor(seed: number, valid: (index: number) => Uint8Array, multipart = false) {
    this.#random = seeded(seed);
    this.#valid = valid;
    this.#multipart = multipart;
  }

  /** The next message. */
  next(): FuzzMessage {
    this.#index += 1;
    const roll = this.#random();
    const base = this.#valid(this.#index);
    if (roll < 0.08) return one(base, 'valid');
    if (roll < 0.16) return one(this.#bytes(this.#int(0, 200)), 'random');
    if (roll < 0.34) return one(this.#flip(base), 'flip');
    if (roll < 0.44) return one(base.subarray(0, this.#int(0, base.length - 1)), 'truncate');
    if (roll < 0.54) return one(this.#splice(base, this.#valid(this.#index + 7)), 'splice');
    if (roll < 0.6) return one(this.#nested(), 'nested');
    if (roll < 0.7) return one(this.#giant(base), 'giant-length');
    if (roll < 0.8) return one(this.#envelope(), 'envelope');
    if (roll < 0.9)
      return one(packRaw({ args: { n: this.#index, text: this.#pick(MARKERS), m: this.#pick(MARKERS) }, workflow_id: null }), 'marker');
    if (roll < 0.95) return one(this.#extension(base), 'extension');
    if (roll < 0.999)
      return one(packRaw({ args: { n: String(this.#index), text: this.#index }, workflow_id: String(this.#index) }), 'wrong-types');
    if (roll < 0.9995 && this.#multipart) return { frames: [base, this.#flip(base)], kind: 'multipart' };
    return one(this.#huge(), 'huge');
  }

  #int(min: number, max: number): number {
    return min + Math.floor(this.#random() * (max - min + 1));
  }

  #pick<T>(items: readonly T[]): T {
    return items[this.#int(0, items.length - 1)]!;
  }

  #bytes(length: number): Uint8Array {
    const bytes = new Uint8Array(length);
    for (let i = 0; i < length; i += 1) bytes[i] = this.#int(0, 255);
    return bytes;
  }

  #flip(base: Uint8Array): Uint8Array {
    const frame = Uint8Array.from(base);
    for (let flips = this.#int(1, 8); flips > 0 && frame.length > 0; flips -= 1) frame[this.#int(0, frame.length - 1)] = this.#int(0, 255);
    return frame;
  }

  #splice(a: Uint8Array, b: Uint8Array): Uint8Array {
    return Buffer.concat([a.subarray(0, this.#int(0, a.length)), this.#bytes(this.#int(0, 4)), b.subarray(this.#int(0, b.length))]);
  }

  /** Arrays or maps nested 30 to 3000 deep inside the args (64 is the framework's limit). */
  #nested(): Uint8Array {
    const depth = this.#int(30, 3000);
    const open = this.#random() < 0.5 ? [0x91] : [0x81, 0xa1, 0x6b];
    const run = new Uint8Array(depth * open.length);
    for (let i = 0; i < depth; i += 1) run.set(open, i * open.length);
    return packRaw({ args: { n: 1, text: 'deep', deep: new Raw(Buffer.concat([run, Buffer.from([0xc0])])) }, workflow_id: 'deep' });
  }

  /** A giant length header, alone, inside the args, or written over part of a valid frame. */
  #giant(base: Uint8Array): Uint8Array {
    const headerBytes = this.#pick(GIANT_HEADERS);
    const where = this.#int(0, 2);
    if (where === 0) return Buffer.concat([headerBytes, this.#bytes(this.#int(0, 16))]);
    if (where === 1) return packRaw({ args: { n: 1, text: new Raw(headerBytes) }, workflow_id: null });
    const at = this.#int(0, Math.max(0, base.length - 1));
    return Buffer.concat([base.subarray(0, at), headerBytes, base.subarray(at)]);
  }

  /** Valid MessagePack that is not a valid envelope. */
  #envelope(): Uint8Array {
    const n = this.#index;
    const envelopes: RawValue[] = [
      42,
      'args',
      null,
      [{ args: { n, text: 'x' } }],
      {},
      { arg: { n, text: 'x' } },
      { args: [n, 'x'] },
      { args: 'n' },
      { args: null, workflow_id: 'w' },
      { args: { n, text: 'x' }, workflow_id: 7 },
      { args: { n, text: 'x' }, workflow_id: ['w'] },
      { args: { n, text: 'x', __decimal__: true }, workflow_id: null },
      { return_args: { n, text: 'x' }, workflow_id: null },
    ];
    return packRaw(this.#pick(envelopes));
  }

  /** MessagePack extension types (refused) and timestamps (read as Dates) inside or instead of a frame. */
  #extension(base: Uint8Array): Uint8Array {
    const ext = this.#pick(['d40501', 'd47240', 'c70301aabbcc', 'd6ff5e0d5da5', 'c9000000010101']);
    if (this.#random() < 0.5) return Buffer.from(ext, 'hex');
    return packRaw({ args: { n: 1, text: new Raw(Buffer.from(ext, 'hex')) }, workflow_id: null, base: new Raw(base) });
  }

  /** Real data of 64 KB to 1 MB: a long string (valid for `text`) or a long array. */
  #huge(): Uint8Array {
    const size = this.#int(64 * 1024, 1024 * 1024);
    if (this.#random() < 0.5) return packRaw({ args: { n: this.#index, text: 'x'.repeat(size) }, workflow_id: 'huge' });
    return packRaw({
      args: { n: this.#index, text: 'list', list: new Raw(packRaw(new Array<RawValue>(Math.floor(size / 2)).fill(1))) },
      workflow_id: 'huge',
    });
  }
}

function one(frame: Uint8Array, kind: string): FuzzMessage {
  return { frames: [frame], kind };
}
