import { isAbsolute, resolve } from 'node:path';
import { PluginError, SfError, ValidationError } from '@sf/core';
import type { EndpointContext } from '@sf/core/plugin';
import type BetterSqlite3 from 'better-sqlite3';

/** An open better-sqlite3 database. */
export type Database = BetterSqlite3.Database;

/** Version of the tables this package writes; a file with another is refused. */
export const STORE_FORMAT = 1;

/** Error code of a persist_file that cannot be opened, read or written. */
export const STORE_FAILED = 'SF_STATE_STORE_FAILED';

const ARGUMENT = 'optional_creation_arguments.persist_file';

/** The path in creation argument `persist_file` (relative to the working folder), or `undefined` without one. */
export function persistPath(context: EndpointContext): string | undefined {
  const value = context.creation.persist_file;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ValidationError(
      'Creation argument persist_file is not a path',
      { expected: 'a non-empty path', received: JSON.stringify(value) },
      { service: context.service, model: context.modelPath, argument: ARGUMENT, hint: 'Give a path such as "state/book.sqlite"' },
    );
  }
  return isAbsolute(value) ? value : resolve(value);
}

/**
 * Opens (or creates) the SQLite file at `path` for one `stateType` endpoint: WAL journal, an
 * exclusive lock held until close (a second process gets a clear error), and the `sf_store` row
 * naming the state type and format. `schema` creates the type's own tables in a new file.
 * `fsync`: sync the journal on every commit (survives power loss) instead of leaving it to the OS
 * (survives a crash of the process). Fails with SF_PLUGIN_MISSING without better-sqlite3, and
 * SF_STATE_STORE_FAILED naming the file when it cannot be used.
 */
export async function openStoreFile(
  context: EndpointContext,
  path: string,
  stateType: string,
  schema: string,
  fsync: boolean,
): Promise<Database> {
  const Driver = await loadDriver(context);
  let db: Database | undefined;
  try {
    db = new Driver(path, { timeout: 100 });
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${fsync ? 'FULL' : 'NORMAL'}`);
    const open = db;
    open.transaction(() => prepareTables(context, open, path, stateType, schema)).immediate();
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof SfError) throw error;
    if (isDriverFault(error)) throw driverBroken(context, error);
    throw storeError(context, path, `Cannot open the persist_file ${path}: ${reason(error)}`, hintFor(error), error);
  }
}

function prepareTables(context: EndpointContext, db: Database, path: string, stateType: string, schema: string): void {
  const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number };
  if (tables.n === 0) {
    db.exec(`CREATE TABLE sf_store (id INTEGER PRIMARY KEY CHECK (id = 1), state_type TEXT NOT NULL, format INTEGER NOT NULL); ${schema}`);
    db.prepare('INSERT INTO sf_store (id, state_type, format) VALUES (1, ?, ?)').run(stateType, STORE_FORMAT);
    return;
  }
  const hasStore = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sf_store'").get();
  const header = hasStore
    ? (db.prepare('SELECT state_type, format FROM sf_store WHERE id = 1').get() as { state_type: unknown; format: unknown } | undefined)
    : undefined;
  if (header === undefined) {
    throw storeError(
      context,
      path,
      `The persist_file ${path} is an SQLite database of something else`,
      'Point persist_file at a new file; this plugin only opens files it created',
    );
  }
  if (header.state_type !== stateType || header.format !== STORE_FORMAT) {
    throw storeError(
      context,
      path,
      `The persist_file ${path} holds a ${String(header.state_type)} state (format ${String(header.format)}), ` +
        `not a ${stateType} state (format ${STORE_FORMAT})`,
      'Give each state its own persist_file',
    );
  }
}

/** An SF_STATE_STORE_FAILED error for the endpoint's persist_file. */
export function storeError(context: EndpointContext, path: string, what: string, hint: string, cause?: unknown): SfError {
  return new SfError(STORE_FAILED, what, {
    service: context.service,
    model: context.modelPath,
    argument: ARGUMENT,
    file: path,
    hint,
    cause,
  });
}

/** The driver's message, e.g. `file is not a database`. */
export function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function hintFor(error: unknown): string {
  switch ((error as { code?: unknown })?.code) {
    case 'SQLITE_NOTADB':
    case 'SQLITE_CORRUPT':
      return 'The file is not a state file or it is damaged: move it away (the state then starts empty) or point persist_file elsewhere';
    case 'SQLITE_CANTOPEN':
      return 'Check that the folder exists and can be written, and that the path is not a folder';
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return 'Another process has the file open: stop it, or give each running state its own persist_file';
    case 'SQLITE_READONLY':
    case 'SQLITE_PERM':
      return 'Make the file and its folder writable';
    default:
      return 'Check the file, or move it away to start from an empty state';
  }
}

let driver: Promise<typeof BetterSqlite3> | undefined;

/** better-sqlite3, imported on first use only: services without persist_file never load it. */
async function loadDriver(context: EndpointContext): Promise<typeof BetterSqlite3> {
  driver ??= import('better-sqlite3').then((module) => module.default);
  try {
    return await driver;
  } catch (error) {
    driver = undefined;
    if ((error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND' && reason(error).includes("'better-sqlite3'")) {
      throw new PluginError('SF_PLUGIN_MISSING', 'persist_file needs the package better-sqlite3, which is missing: install it', {
        service: context.service,
        model: context.modelPath,
        argument: ARGUMENT,
        hint:
          "Run `pnpm add better-sqlite3@12` in the service's project (an optional peer dependency of the state plugins), " +
          'or leave out persist_file',
        cause: error,
      });
    }
    throw driverBroken(context, error);
  }
}

// better-sqlite3 loads its compiled addon on the first `new Database()`.
function isDriverFault(error: unknown): boolean {
  const text = reason(error);
  return (
    (error as { code?: unknown })?.code === 'ERR_DLOPEN_FAILED' || text.includes('bindings file') || text.includes('NODE_MODULE_VERSION')
  );
}

function driverBroken(context: EndpointContext, error: unknown): PluginError {
  return new PluginError('SF_PLUGIN_MISSING', `The package better-sqlite3 is installed but does not load: ${reason(error)}`, {
    service: context.service,
    model: context.modelPath,
    argument: ARGUMENT,
    hint: 'Rebuild it for this Node version (`pnpm rebuild better-sqlite3`; pnpm 10+ runs its build only when allowBuilds lists it)',
    cause: error,
  });
}
