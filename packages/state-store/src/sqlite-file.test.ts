import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ValidationError } from '@sf/core';
import { testContext } from '@sf/core/testing';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openStoreFile, persistPath, reason, STORE_FAILED, STORE_FORMAT, storeError } from './sqlite-file.js';

const SCHEMA = 'CREATE TABLE entries (key TEXT PRIMARY KEY, value BLOB NOT NULL)';
const cleanups: (() => unknown)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function context(creation: Record<string, unknown> = {}) {
  return testContext({ name: 'book', kind: 'state', side: 'out', addresses: {}, creation });
}

async function tempFile(name = 'book.sqlite'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sf-state-store-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return join(dir, name);
}

async function open(path: string, stateType = 'delta_update_out', fsync = false): Promise<Database.Database> {
  const db = await openStoreFile(context(), path, stateType, SCHEMA, fsync);
  cleanups.push(() => db.close());
  return db;
}

describe('persistPath', () => {
  it('is undefined without persist_file and resolves a relative path against the working folder', () => {
    expect(persistPath(context())).toBeUndefined();
    expect(persistPath(context({ persist_file: null }))).toBeUndefined();
    expect(persistPath(context({ persist_file: 'state/book.sqlite' }))).toBe(resolve('state/book.sqlite'));
    expect(persistPath(context({ persist_file: '/var/book.sqlite' }))).toBe('/var/book.sqlite');
  });

  it('refuses an empty path or a non-string, naming the argument', () => {
    for (const value of ['', '  ', 5]) {
      expect(() => persistPath(context({ persist_file: value }))).toThrow(ValidationError);
    }
    expect(() => persistPath(context({ persist_file: '' }))).toThrow(
      /persist_file is not a path.*optional_creation_arguments\.persist_file/,
    );
  });
});

describe('openStoreFile', () => {
  it('creates the header row and the schema in a new file, in WAL mode with an exclusive lock', async () => {
    const path = await tempFile();
    const db = await open(path);
    expect(db.prepare('SELECT id, state_type, format FROM sf_store').all()).toEqual([
      { id: 1, state_type: 'delta_update_out', format: STORE_FORMAT },
    ]);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all()).toEqual(['entries', 'sf_store']);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('locking_mode', { simple: true })).toBe('exclusive');
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
  });

  it('syncs every commit with fsync, and reopens its own file keeping the rows', async () => {
    const path = await tempFile();
    const first = await openStoreFile(context(), path, 'full_update_out', SCHEMA, true);
    expect(first.pragma('synchronous', { simple: true })).toBe(2);
    first.prepare('INSERT INTO entries VALUES (?, ?)').run('k', Buffer.from([1]));
    first.close();
    const again = await open(path, 'full_update_out');
    expect(again.prepare('SELECT key FROM entries').pluck().all()).toEqual(['k']);
  });

  it('refuses a file that is not a database, naming the file, the model and the argument', async () => {
    const path = await tempFile();
    await writeFile(path, 'this is not an SQLite file, just some text that is long enough to have a header'.repeat(20));
    const failure = openStoreFile(context(), path, 'delta_update_out', SCHEMA, false);
    await expect(failure).rejects.toMatchObject({
      code: STORE_FAILED,
      location: { file: path, model: 'state_models.out.book', argument: 'optional_creation_arguments.persist_file' },
    });
    await expect(failure).rejects.toThrow(`Cannot open the persist_file ${path}: file is not a database`);
    await expect(failure).rejects.toThrow(/move it away/);
  });

  it("refuses a folder, another program's database and another state type's file", async () => {
    const path = await tempFile();
    await mkdir(path);
    await expect(open(path)).rejects.toThrow(/Cannot open the persist_file .*unable to open database file.*folder exists/);
    const foreign = await tempFile('foreign.sqlite');
    new Database(foreign).exec('CREATE TABLE orders (id INTEGER)').close();
    await expect(open(foreign)).rejects.toThrow(`The persist_file ${foreign} is an SQLite database of something else`);
    const full = await tempFile('full.sqlite');
    (await openStoreFile(context(), full, 'full_update_out', SCHEMA, false)).close();
    await expect(open(full)).rejects.toThrow(
      /holds a full_update_out state \(format 1\), not a delta_update_out state \(format 1\).*its own persist_file/,
    );
  });

  it('holds the file for one opener: a second open while the first is open fails clearly', async () => {
    const path = await tempFile();
    await open(path);
    await expect(open(path)).rejects.toThrow(/database is locked.*Another process has the file open/);
  });
});

describe('storeError and reason', () => {
  it('builds an SF_STATE_STORE_FAILED error naming the file, with the driver message', () => {
    const error = storeError(context(), '/tmp/x.sqlite', 'Cannot write', 'Free some space', new Error('disk I/O error'));
    expect(error).toMatchObject({ code: STORE_FAILED, location: { file: '/tmp/x.sqlite', model: 'state_models.out.book' } });
    expect(error.message).toMatch(/^Cannot write .*Free some space/);
    expect(reason(new Error('disk I/O error'))).toBe('disk I/O error');
    expect(reason('plain')).toBe('plain');
  });
});
