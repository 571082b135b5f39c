import type { EndpointContext } from '@sf/core/plugin';
import { decodeRequest } from '@sf/core/plugin';
import type { Statement } from 'better-sqlite3';
import { type Database, openStoreFile, reason, storeError } from '@sf/state-store';

/** The full state's table: one row holding the latest publication. */
const SCHEMA = 'CREATE TABLE full_latest (id INTEGER PRIMARY KEY CHECK (id = 1), frame BLOB NOT NULL);';

/**
 * A `full_update_out` state kept in an SQLite file (`persist_file`): the latest publication as its
 * request frame (`{"args": value, "workflow_id": …}`, encoded by `@sf/core`'s codec, so Decimal,
 * set, UUID, Date and bytes come back as they were), written in one transaction per update.
 */
export class FullStore {
  /** The frame of the latest publication the file held when opened, if any. */
  readonly latest: Uint8Array | undefined;
  readonly #context: EndpointContext;
  readonly #path: string;
  readonly #db: Database;
  readonly #write: Statement;

  private constructor(context: EndpointContext, path: string, db: Database) {
    this.#context = context;
    this.#path = path;
    this.#db = db;
    this.latest = load(context, path, db);
    this.#write = db.prepare('INSERT INTO full_latest (id, frame) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET frame = excluded.frame');
  }

  /** Opens (or creates) the file and reads the latest publication; one that no longer decodes or fits the model is an error. */
  static async open(context: EndpointContext, path: string, fsync: boolean): Promise<FullStore> {
    const db = await openStoreFile(context, path, 'full_update_out', SCHEMA, fsync);
    try {
      return new FullStore(context, path, db);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** Commits `frame` as the latest publication. Throws SF_STATE_STORE_FAILED, and then the file is as before. */
  save(frame: Uint8Array): void {
    try {
      this.#write.run(frame);
    } catch (error) {
      const what = `Cannot write the latest value to the persist_file ${this.#path}: ${reason(error)}`;
      throw storeError(this.#context, this.#path, what, 'Check the disk and the file; nothing was published', error);
    }
  }

  /** Closes the file (its journal is folded in); safe twice. */
  close(): void {
    if (this.#db.open) this.#db.close();
  }
}

function load(context: EndpointContext, path: string, db: Database): Uint8Array | undefined {
  const row = db.prepare('SELECT frame FROM full_latest WHERE id = 1').get() as { frame: unknown } | undefined;
  if (row === undefined) return undefined;
  const frame = row.frame;
  let args: Record<string, unknown>;
  try {
    if (!(frame instanceof Uint8Array)) throw new Error(`a ${typeof frame} instead of encoded bytes`);
    args = decodeRequest(frame).args;
  } catch (error) {
    throw storeError(
      context,
      path,
      `The persist_file ${path} holds an unreadable value: ${reason(error)}`,
      'Move the file away to start without a value',
      error,
    );
  }
  const invalid = context.check(args);
  if (invalid) {
    const at = invalid.location.argument === undefined ? '' : ` at ${invalid.location.argument}`;
    const what = `The value in the persist_file ${path} no longer fits the model${at}: ${invalid.what}`;
    throw storeError(context, path, what, 'Fix the model, or move the file away to start without a value', invalid);
  }
  return frame;
}
