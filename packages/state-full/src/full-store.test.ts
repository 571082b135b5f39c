import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Decimal, UUID } from '@sf/core';
import { decodeReply, decodeRequest, encodeRequest } from '@sf/core/plugin';
import { freePort, type TestContextOptions, testContext } from '@sf/core/testing';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Request, Subscriber } from 'zeromq';
import { FullStore } from './full-store.js';
import { fullUpdateOut } from './full-update-out.js';
import { check, cleanUp, onCleanUp, openOut, richValue, stateMessage } from './state.fixture.js';

afterEach(cleanUp);

async function tempFile(name = 'prices.sqlite'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sf-full-store-'));
  onCleanUp(() => rm(dir, { recursive: true, force: true }));
  return join(dir, name);
}

function context(options: Partial<TestContextOptions> = {}) {
  return testContext({ name: 'prices', kind: 'state', side: 'out', addresses: {}, ...options });
}

async function openStore(path: string, options: Partial<TestContextOptions> = {}): Promise<FullStore> {
  const store = await FullStore.open(context(options), path, false);
  onCleanUp(() => store.close());
  return store;
}

async function askSnapshot(address: string): Promise<ReturnType<typeof decodeReply>> {
  const socket = new Request({ linger: 0, receiveTimeout: 2000 });
  onCleanUp(() => socket.close());
  socket.connect(`tcp://${address}`);
  await socket.send(encodeRequest({ args: {}, workflow_id: 'ask' }));
  const [frame] = await socket.receive();
  return decodeReply(frame!);
}

describe('FullStore', () => {
  it('holds nothing in a new file, then the latest frame committed, with extended values intact', async () => {
    const path = await tempFile();
    const first = await openStore(path);
    expect(first.latest).toBeUndefined();
    first.save(stateMessage({ version: 1 }).frame());
    first.save(stateMessage(richValue(), 'wf-rich').frame());
    first.close();
    const latest = (await openStore(path)).latest!;
    const { args, workflow_id } = decodeRequest(latest);
    expect(workflow_id).toBe('wf-rich');
    expect((args.price as Decimal).toFixed(2)).toBe('1.50');
    expect(args.tags).toEqual(new Set(['a', 'b']));
    expect((args.id as UUID).equals(new UUID('123e4567-e89b-12d3-a456-426614174000'))).toBe(true);
    expect((args.at as Date).toISOString()).toBe('2024-05-06T07:08:09.123Z');
    expect(args.raw).toEqual(new Uint8Array([0, 1, 255]));
  });

  it('refuses an unreadable, foreign, delta or locked file, and a value that no longer decodes or fits the model, naming the file', async () => {
    const garbage = await tempFile('garbage.sqlite');
    await writeFile(garbage, 'plain text, not a database at all'.repeat(40));
    await expect(FullStore.open(context(), garbage, false)).rejects.toMatchObject({
      code: 'SF_STATE_STORE_FAILED',
      location: { file: garbage, model: 'state_models.out.prices', argument: 'optional_creation_arguments.persist_file' },
    });
    await expect(FullStore.open(context(), garbage, false)).rejects.toThrow(
      `Cannot open the persist_file ${garbage}: file is not a database`,
    );
    const folder = await tempFile('folder');
    await mkdir(folder);
    await expect(FullStore.open(context(), folder, false)).rejects.toThrow(/folder exists/);
    const delta = await tempFile('delta.sqlite');
    new Database(delta)
      .exec(
        'CREATE TABLE sf_store (id INTEGER PRIMARY KEY, state_type TEXT, format INTEGER); ' +
          "INSERT INTO sf_store VALUES (1, 'delta_update_out', 1)",
      )
      .close();
    await expect(FullStore.open(context(), delta, false)).rejects.toThrow(
      /holds a delta_update_out state \(format 1\), not a full_update_out state/,
    );

    const path = await tempFile();
    const store = await openStore(path);
    await expect(FullStore.open(context(), path, false)).rejects.toThrow(/database is locked.*Another process has the file open/);
    store.save(stateMessage({ version: 'one' }).frame());
    store.close();
    await expect(FullStore.open(context({ check }), path, false)).rejects.toThrow(/no longer fits the model at state\.version/);
    new Database(path).exec("UPDATE full_latest SET frame = x'c1'").close();
    await expect(FullStore.open(context(), path, false)).rejects.toThrow(`The persist_file ${path} holds an unreadable value`);
  });
});

describe('full_update_out with persist_file', () => {
  it('answers snapshot requests after a restart with the committed value and does not publish it again', async () => {
    const path = await tempFile();
    const out = { publisher: `127.0.0.1:${await freePort()}`, replyer: `127.0.0.1:${await freePort()}` };
    const first = await openOut(out, { persist_file: path });
    await first.endpoint.send!(stateMessage({ version: 1 }, 'w1'));
    await first.endpoint.send!(stateMessage({ version: 2, label: 'kept' }, 'w2'));
    await first.endpoint.close();

    const frames: Buffer[] = [];
    const subscriber = new Subscriber({ linger: 0 });
    onCleanUp(() => subscriber.close());
    subscriber.subscribe();
    subscriber.connect(`tcp://${out.publisher}`);
    void (async () => {
      for await (const [frame] of subscriber) frames.push(frame!);
    })().catch(() => {});
    const again = await openOut(out, { persist_file: path, wait_after_creation_s: 0.2 });
    expect(again.context.logs.some((line) => line.msg === 'full_update_out: resumed the latest value from persist_file')).toBe(true);
    expect(await askSnapshot(out.replyer)).toEqual({ return_args: { version: 2, label: 'kept' }, workflow_id: 'w2' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(frames).toEqual([]);
    await again.endpoint.send!(stateMessage({ version: 3 }, 'w3'));
    await expect.poll(() => frames.length).toBe(1);
    expect(await askSnapshot(out.replyer)).toEqual({ return_args: { version: 3 }, workflow_id: 'w3' });
  });

  it('fails to open on a bad persist_file before binding, and rejects an empty path', async () => {
    const path = await tempFile();
    await writeFile(path, 'not a database'.repeat(100));
    const out = { publisher: `127.0.0.1:${await freePort()}` };
    const endpoint = await fullUpdateOut.create(context({ addresses: out, creation: { persist_file: path, wait_after_creation_s: 0 } }));
    onCleanUp(() => endpoint.close());
    await expect(endpoint.open()).rejects.toMatchObject({ code: 'SF_STATE_STORE_FAILED', location: { file: path } });
    await openOut(out);
    expect(() => fullUpdateOut.create(context({ addresses: out, creation: { persist_file: '' } }))).toThrow(/persist_file is not a path/);
  });
});
