import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal, UUID, ValidationError } from '@sf/core';
import { encodeValue } from '@sf/core/plugin';
import { type TestContextOptions, testContext } from '@sf/core/testing';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { applyDelta } from './apply-delta.js';
import { deltaUpdateOut } from './delta-out.js';
import { DeltaStore } from './delta-store.js';
import { cleanups, message, openOut, outAddresses, rawSubscriber, requestSnapshot, runCleanups, until } from './endpoints.fixture.js';
import { decodePublication } from './wire.js';

afterEach(runCleanups);

async function tempFile(name = 'book.sqlite'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sf-delta-store-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return join(dir, name);
}

function context(options: Partial<TestContextOptions> = {}) {
  return testContext({ name: 'book', kind: 'state', side: 'out', addresses: {}, ...options });
}

async function openStore(path: string, options: Partial<TestContextOptions> = {}): Promise<DeltaStore> {
  const store = await DeltaStore.open(context(options), path, false);
  cleanups.push(() => store.close());
  return store;
}

describe('DeltaStore', () => {
  it('starts a new file empty at number 0 and resumes the state and number it committed', async () => {
    const path = await tempFile();
    const first = await openStore(path);
    expect([first.state, first.num]).toEqual([{}, 0]);
    first.save({ a: 1, b: 'x', c: true }, false, 1);
    first.save({ a: null, d: [1, { e: 2 }] }, false, 2);
    first.close();
    const second = await openStore(path);
    expect([second.state, second.num]).toEqual([{ b: 'x', c: true, d: [1, { e: 2 }] }, 2]);
    second.save({ only: 1, gone: null }, true, 3);
    second.close();
    expect([(await openStore(path)).state, (await openStore(join(path, '..', 'other.sqlite'))).num]).toEqual([{ only: 1, gone: null }, 0]);
  });

  it('keeps Decimal, set, UUID, Date, bytes and a key named __proto__ exactly', async () => {
    const path = await tempFile();
    const store = await openStore(path);
    const state = {
      price: new Decimal('1.50'),
      tags: new Set(['a', 'b']),
      id: new UUID('123e4567-e89b-12d3-a456-426614174000'),
      at: new Date('2024-05-06T07:08:09.123Z'),
      blob: new Uint8Array([0, 1, 254, 255]),
      nested: { big: 12345678901234567890n },
    };
    store.save(state, false, 1);
    store.save(JSON.parse('{"__proto__": {"evil": true}}'), false, 2);
    store.close();
    const back = (await openStore(path)).state as typeof state & Record<string, unknown>;
    expect(back.price).toBeInstanceOf(Decimal);
    expect((back.price as Decimal).toFixed(2)).toBe('1.50');
    expect(back.tags).toEqual(new Set(['a', 'b']));
    expect(back.id.equals(state.id)).toBe(true);
    expect(back.at.toISOString()).toBe('2024-05-06T07:08:09.123Z');
    expect(back.blob).toEqual(new Uint8Array([0, 1, 254, 255]));
    expect(back.nested.big).toBe(12345678901234567890n);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.hasOwn(back, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).evil).toBeUndefined();
  });

  it('writes only the keys of an update (one row per key, the number in its own row)', async () => {
    const path = await tempFile();
    const store = await openStore(path);
    store.save(Object.fromEntries(Array.from({ length: 500 }, (_, index) => [`k${index}`, index])), false, 1);
    store.save({ k7: 'seven', k8: null }, false, 2);
    store.close();
    const db = new Database(path, { readonly: true });
    cleanups.push(() => db.close());
    expect(db.prepare('SELECT count(*) AS n FROM delta_entries').get()).toEqual({ n: 499 });
    expect(db.prepare('SELECT num FROM delta_num').get()).toEqual({ num: 2 });
    expect(Buffer.from((db.prepare("SELECT value FROM delta_entries WHERE key = 'k7'").get() as { value: Buffer }).value)).toEqual(
      Buffer.from(encodeValue('seven')),
    );
    expect(db.prepare('SELECT state_type, format FROM sf_store').get()).toEqual({ state_type: 'delta_update_out', format: 1 });
  });

  it('refuses a file that is not a database, naming the file, the model and the argument', async () => {
    const path = await tempFile();
    await writeFile(path, 'this is not an SQLite file, just some text that is long enough to have a header'.repeat(20));
    const failure = DeltaStore.open(context(), path, false);
    await expect(failure).rejects.toMatchObject({
      code: 'SF_STATE_STORE_FAILED',
      location: { file: path, model: 'state_models.out.book', argument: 'optional_creation_arguments.persist_file' },
    });
    await expect(DeltaStore.open(context(), path, false)).rejects.toThrow(`Cannot open the persist_file ${path}: file is not a database`);
    await expect(DeltaStore.open(context(), path, false)).rejects.toThrow(/move it away/);
  });

  it("refuses a folder, a missing folder, another program's database and a full state's file", async () => {
    const path = await tempFile();
    await mkdir(path);
    await expect(DeltaStore.open(context(), path, false)).rejects.toThrow(
      /Cannot open the persist_file .*unable to open database file.*folder exists/,
    );
    await expect(DeltaStore.open(context(), join(path, 'no', 'such.sqlite'), false)).rejects.toMatchObject({
      code: 'SF_STATE_STORE_FAILED',
    });
    const foreign = await tempFile('foreign.sqlite');
    new Database(foreign).exec('CREATE TABLE orders (id INTEGER)').close();
    await expect(DeltaStore.open(context(), foreign, false)).rejects.toThrow(
      `The persist_file ${foreign} is an SQLite database of something else`,
    );
    const full = await tempFile('full.sqlite');
    new Database(full)
      .exec(
        'CREATE TABLE sf_store (id INTEGER PRIMARY KEY, state_type TEXT, format INTEGER); ' +
          "INSERT INTO sf_store VALUES (1, 'full_update_out', 1)",
      )
      .close();
    await expect(DeltaStore.open(context(), full, false)).rejects.toThrow(
      /holds a full_update_out state \(format 1\), not a delta_update_out state/,
    );
  });

  it('refuses a stored value that does not decode, naming its key, and a number that is not one', async () => {
    const path = await tempFile();
    const store = await openStore(path);
    store.save({ good: 1, bad: 2 }, false, 1);
    store.close();
    const db = new Database(path);
    db.prepare("UPDATE delta_entries SET value = x'c1' WHERE key = 'bad'").run();
    db.close();
    await expect(DeltaStore.open(context(), path, false)).rejects.toThrow(
      `The persist_file ${path} holds an unreadable value at key "bad"`,
    );
    const other = await tempFile('num.sqlite');
    (await openStore(other)).close();
    new Database(other).exec("UPDATE delta_num SET num = 'many'").close();
    await expect(DeltaStore.open(context(), other, false)).rejects.toThrow(/holds no valid update number \(found many\)/);
  });

  it('refuses a state that no longer fits the model, naming the argument', async () => {
    const path = await tempFile();
    const store = await openStore(path);
    store.save({ price: 'cheap' }, false, 1);
    store.close();
    const check = (value: unknown) =>
      typeof (value as { price?: unknown }).price === 'string'
        ? new ValidationError('state.price does not match', { expected: 'a Number', received: 'a string' }, { argument: 'state.price' })
        : undefined;
    await expect(DeltaStore.open(context({ check }), path, false)).rejects.toThrow(
      /no longer fits the model at state\.price: state\.price does not match/,
    );
  });

  it('holds the file for one process: a second open while the first is open fails clearly', async () => {
    const path = await tempFile();
    await openStore(path);
    await expect(DeltaStore.open(context(), path, false)).rejects.toThrow(/database is locked.*Another process has the file open/);
  });
});

describe('delta_update_out with persist_file', () => {
  it('commits before publishing and resumes after a restart: same state, numbers continue, snapshot answered at once', async () => {
    const path = await tempFile();
    const addresses = await outAddresses();
    const first = await openOut(addresses, { creation: { persist_file: path } });
    let expected: Record<string, unknown> = {};
    for (let num = 1; num <= 50; num++) {
      const delta = { [`k${num % 7}`]: num % 3 === 0 ? null : num, seq: num };
      expected = applyDelta(expected, delta);
      await first.endpoint.send!(message({ state: delta }));
    }
    await first.endpoint.close();

    const again = await openOut(addresses, { creation: { persist_file: path } });
    expect(again.context.logs.find((line) => line.msg === 'delta_update_out: resumed from persist_file')?.obj).toEqual({
      persist_file: path,
      current_num: 50,
    });
    expect((await requestSnapshot(addresses.replyer)).return_args).toEqual({ state: expected, current_num: 50 });
    const frames = await rawSubscriber(addresses.publisher);
    await again.endpoint.send!(message({ state: { k1: 'next' } }));
    await until(() => frames.length === 1);
    expect(decodePublication(frames[0]!)).toMatchObject({ state: { k1: 'next' }, isSnapshot: false, num: 51 });
    expect((await requestSnapshot(addresses.replyer)).return_args).toEqual({ state: { ...expected, k1: 'next' }, current_num: 51 });
  });

  it('fails to open on a bad persist_file before binding any socket, and rejects an empty path', async () => {
    const path = await tempFile();
    await writeFile(path, 'not a database'.repeat(100));
    const addresses = await outAddresses();
    const endpoint = await deltaUpdateOut.create(context({ addresses, creation: { persist_file: path, wait_after_creation_s: 0 } }));
    cleanups.push(() => endpoint.close());
    await expect(endpoint.open()).rejects.toMatchObject({ code: 'SF_STATE_STORE_FAILED', location: { file: path } });
    const other = await openOut(addresses);
    await other.endpoint.send!(message({ state: { a: 1 } }));
    expect((await requestSnapshot(addresses.replyer)).return_args).toEqual({ state: { a: 1 }, current_num: 1 });
    expect(() => deltaUpdateOut.create(context({ addresses, creation: { persist_file: ' ' } }))).toThrow(
      /persist_file is not a path: expected a non-empty path/,
    );
  });
});
