/**
 * A string-keyed map whose every version stays readable and never changes, at the cost of one small
 * record per update: the newest version of a line of updates reads one mutable `Map` shared by the
 * line; each older version keeps only what its successor changed (the keys and their values before),
 * so an update costs what it changes whatever the size held, with nothing path-copied and little
 * left for the garbage collector.
 * Reading an older version walks at most {@link WALK_MAX} such records; further back (or to list its
 * keys) it first becomes a copy of its own, once (cost: its size). Key order is a plain object's
 * insertion order. An older version no one reads keeps the records after it alive, so a line is
 * started afresh (a copy of the newest version) every {@link REBASE_MIN} updates or as many as it
 * holds keys, whichever is more: a version kept for good then holds at most that many records plus
 * its line's map, and the copy costs about one entry per update, spread out.
 */
import type { KeySource } from '@sf/core/plugin';

/** Most change records a read of an older version walks before that version takes a copy of its own. */
export const WALK_MAX = 32;

/** Fewest updates a line takes before a fresh one starts (more for a map with more keys: as many as it holds). */
export const REBASE_MIN = 1024;

/** A line of versions: the newest one's contents, and each key's insertion number (its place in a plain object's order). */
interface Line {
  readonly map: Map<string, unknown>;
  readonly seqs: Map<string, number>;
  nextSeq: number;
  newest: VersionedMap;
  /** Updates made on this line so far. */
  updates: number;
}

/** Insertion number recorded for a key that was absent. */
const ABSENT = -1;

/** One version of a string-keyed map; {@link with} makes the next one. */
export class VersionedMap implements KeySource {
  #line: Line;
  readonly #size: number;
  /** Set once a later version exists (and this one has no copy of its own): that version… */
  #next: VersionedMap | undefined;
  /** …and, per key it changed, `key, value before, insertion number before (ABSENT: none)`. */
  #undo: unknown[] | undefined;

  private constructor(line: Line, size: number) {
    this.#line = line;
    this.#size = size;
  }

  /** A first version holding `entries` (in that order; a repeated key keeps its first place). */
  static of(entries: Iterable<readonly [string, unknown]>): VersionedMap {
    const map = new Map<string, unknown>();
    const seqs = new Map<string, number>();
    for (const [key, value] of entries) {
      if (!seqs.has(key)) seqs.set(key, seqs.size);
      map.set(key, value);
    }
    const line: Line = { map, seqs, nextSeq: seqs.size, newest: undefined as unknown as VersionedMap, updates: 0 };
    line.newest = new VersionedMap(line, map.size);
    return line.newest;
  }

  /** How many keys this version holds. */
  get size(): number {
    return this.#size;
  }

  /**
   * The next version: this one with `delta` applied (a key whose value is `null` is deleted). This
   * version is unchanged. Cost: the keys of `delta` (plus a copy of this version if it is not the newest of its line).
   */
  with(delta: Readonly<Record<string, unknown>>): VersionedMap {
    if (this.#line.newest !== this) return VersionedMap.of(this.entries()).with(delta);
    const line = this.#line;
    // This version stays the newest of its line (its map no longer changes): the records kept
    // alive by an older version someone holds end here.
    if (++line.updates > Math.max(REBASE_MIN, line.map.size)) return VersionedMap.of(line.map).with(delta);
    const { map, seqs } = line;
    const undo: unknown[] = [];
    let size = this.#size;
    for (const key of Object.keys(delta)) {
      const value = delta[key];
      const seq = seqs.get(key);
      if (value === null) {
        if (seq === undefined) continue;
        undo.push(key, map.get(key), seq);
        map.delete(key);
        seqs.delete(key);
        size -= 1;
      } else if (seq === undefined) {
        undo.push(key, undefined, ABSENT);
        seqs.set(key, line.nextSeq++);
        map.set(key, value);
        size += 1;
      } else {
        undo.push(key, map.get(key), seq);
        map.set(key, value);
      }
    }
    const next = new VersionedMap(line, size);
    this.#undo = undo;
    this.#next = next;
    line.newest = next;
    return next;
  }

  /** The value of `key`, or `undefined` when absent. */
  get(key: string): unknown {
    if (this.#line.newest === this) return this.#line.map.get(key);
    const found = this.#walk(key);
    return Array.isArray(found) ? found[0] : found.map.get(key);
  }

  /** Whether `key` is present. */
  has(key: string): boolean {
    if (this.#line.newest === this) return this.#line.seqs.has(key);
    const found = this.#walk(key);
    return Array.isArray(found) ? found[1] !== ABSENT : found.seqs.has(key);
  }

  /** The keys, in a plain object's insertion order. */
  keys(): IterableIterator<string> {
    this.#own();
    return this.#line.map.keys();
  }

  /** The entries, in a plain object's insertion order. */
  entries(): IterableIterator<[string, unknown]> {
    this.#own();
    return this.#line.map.entries();
  }

  [Symbol.iterator](): IterableIterator<[string, unknown]> {
    return this.entries();
  }

  /**
   * For an older version: `[value, insertion number]` of `key` as this version holds it, from the
   * first later version that changed it, or when none did, the line whose newest version holds it as
   * this one does. Past {@link WALK_MAX} records, this version takes its own copy first (and returns its line).
   */
  #walk(key: string): [unknown, number] | Line {
    let version: VersionedMap = this;
    for (let steps = 0; version.#line.newest !== version; steps++) {
      if (steps === WALK_MAX) {
        this.#own();
        return this.#line;
      }
      const undo = version.#undo as unknown[];
      for (let i = 0; i < undo.length; i += 3) if (undo[i] === key) return [undo[i + 1], undo[i + 2] as number];
      version = version.#next as VersionedMap;
    }
    return version.#line;
  }

  /** Makes this version the newest of a line of its own (a copy), unless it already is the newest of its line. */
  #own(): void {
    if (this.#line.newest === this) return;
    const chain: VersionedMap[] = [];
    let version: VersionedMap = this;
    while (version.#line.newest !== version) {
      chain.push(version);
      version = version.#next as VersionedMap;
    }
    const base = version.#line;
    const map = new Map(base.map);
    const seqs = new Map(base.seqs);
    let moved = false;
    for (let c = chain.length - 1; c >= 0; c--) {
      const undo = (chain[c] as VersionedMap).#undo as unknown[];
      for (let i = undo.length - 3; i >= 0; i -= 3) {
        const key = undo[i] as string;
        const seq = undo[i + 2] as number;
        if (seq === ABSENT) {
          map.delete(key);
          seqs.delete(key);
        } else {
          if (!seqs.has(key)) moved = true;
          map.set(key, undo[i + 1]);
          seqs.set(key, seq);
        }
      }
    }
    // A key put back after a later delete went to the end of `map`: restore the insertion order.
    const ordered = moved ? new Map([...map].sort(([a], [b]) => (seqs.get(a) as number) - (seqs.get(b) as number))) : map;
    this.#line = { map: ordered, seqs, nextSeq: base.nextSeq, newest: this, updates: 0 };
    this.#next = undefined;
    this.#undo = undefined;
  }
}
