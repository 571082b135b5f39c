import type { EndpointContext } from '@sf/core/plugin';
import { decodeValue, encodeValue } from '@sf/core/plugin';
import type { Statement } from 'better-sqlite3';
import type { StateValue } from './apply-delta.js';
import { type Database, openStoreFile, reason, storeError } from '@sf/state-store';

/** The delta state's tables: the number of the last update, and one row per key of the state. */
const SCHEMA = `
  CREATE TABLE delta_num (id INTEGER PRIMARY KEY CHECK (id = 1), num INTEGER NOT NULL);
  INSERT INTO delta_num (id, num) VALUES (1, 0);
  CREATE TABLE delta_entries (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;`;

/**
 * A `delta_update_out` state kept in an SQLite file (`persist_file`): one row per key, its value
 * as `@sf/core`'s `encodeValue` bytes (so Decimal, set, UUID, Date and bytes come back as they
 * were), and the number of the last update. Each update is one transaction writing only its own
 * keys (a snapshot rewrites them all), so its cost follows the update's size, not the state's.
 */
export class DeltaStore {
  /** The state the file held when opened. */
  readonly state: StateValue;
  /** The number of the last update the file holds (0: none yet). */
  readonly num: number;
  readonly #context: EndpointContext;
  readonly #path: string;
  readonly #db: Database;
  readonly #write: (update: Readonly<StateValue>, isSnapshot: boolean, num: number) => void;

  private constructor(context: EndpointContext, path: string, db: Database) {
    this.#context = context;
    this.#path = path;
    this.#db = db;
    ({ state: this.state, num: this.num } = load(context, path, db));
    const upsert = db.prepare(
      'INSERT INTO delta_entries (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    const remove = db.prepare('DELETE FROM delta_entries WHERE key = ?');
    const clear = db.prepare('DELETE FROM delta_entries');
    const setNum = db.prepare('UPDATE delta_num SET num = ? WHERE id = 1');
    this.#write = db.transaction((update: Readonly<StateValue>, isSnapshot: boolean, num: number) => {
      if (isSnapshot) clear.run();
      for (const [key, value] of Object.entries(update)) writeKey(upsert, remove, key, value, isSnapshot);
      setNum.run(num);
    });
  }

  /** Opens (or creates) the file and reads the state and number it holds; a state that fails the model is an error. */
  static async open(context: EndpointContext, path: string, fsync: boolean): Promise<DeltaStore> {
    const db = await openStoreFile(context, path, 'delta_update_out', SCHEMA, fsync);
    try {
      return new DeltaStore(context, path, db);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /**
   * Commits update `num` (a delta: set its keys, delete those that are `null`; a snapshot: replace
   * every key) in one transaction, mirroring what the endpoint holds in memory. Throws
   * SF_STATE_STORE_FAILED, and then the file is as before.
   */
  save(update: Readonly<StateValue>, isSnapshot: boolean, num: number): void {
    try {
      this.#write(update, isSnapshot, num);
    } catch (error) {
      const what = `Cannot write update ${num} to the persist_file ${this.#path}: ${reason(error)}`;
      throw storeError(
        this.#context,
        this.#path,
        what,
        'Check the disk and the file; nothing was published and the state is unchanged',
        error,
      );
    }
  }

  /** Closes the file (its journal is folded in); safe twice. */
  close(): void {
    if (this.#db.open) this.#db.close();
  }
}

// A snapshot keeps its `null` values as the endpoint's memory does; in a delta `null` deletes.
function writeKey(upsert: Statement, remove: Statement, key: string, value: unknown, isSnapshot: boolean): void {
  if (value === null && !isSnapshot) remove.run(key);
  else upsert.run(key, encodeValue(value));
}

function load(context: EndpointContext, path: string, db: Database): { state: StateValue; num: number } {
  const row = db.prepare('SELECT num FROM delta_num WHERE id = 1').get() as { num: unknown } | undefined;
  const num = row?.num;
  if (typeof num !== 'number' || !Number.isSafeInteger(num) || num < 0) {
    throw storeError(
      context,
      path,
      `The persist_file ${path} holds no valid update number (found ${String(num)})`,
      'Move the file away to start from an empty state',
    );
  }
  const entries: [string, unknown][] = [];
  for (const { key, value } of db.prepare('SELECT key, value FROM delta_entries').iterate() as Iterable<{ key: string; value: unknown }>) {
    try {
      if (!(value instanceof Uint8Array)) throw new Error(`a ${typeof value} instead of encoded bytes`);
      entries.push([key, decodeValue(value)]);
    } catch (error) {
      throw storeError(
        context,
        path,
        `The persist_file ${path} holds an unreadable value at key "${key}": ${reason(error)}`,
        'Move the file away to start from an empty state',
        error,
      );
    }
  }
  // Object.fromEntries defines own keys, so a key named `__proto__` stays a key.
  const state: StateValue = Object.fromEntries(entries);
  // Checked like a requested snapshot (the sum of checked deltas): the model may have changed since.
  const invalid = context.check(state, true);
  if (invalid) {
    const at = invalid.location.argument === undefined ? '' : ` at ${invalid.location.argument}`;
    const what = `The state in the persist_file ${path} no longer fits the model${at}: ${invalid.what}`;
    throw storeError(context, path, what, 'Fix the model, or move the file away to start from an empty state', invalid);
  }
  return { state, num };
}
