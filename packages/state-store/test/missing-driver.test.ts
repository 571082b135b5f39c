// The built package in a project where better-sqlite3 is not installed: only opening a persist_file needs it.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const packages = join(here, '../..');
let project: string;

// A project holding a copy of dist and a link to @sf/core, but no better-sqlite3.
beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'sf-no-sqlite-'));
  await cp(join(here, '../dist'), join(project, 'store'), { recursive: true });
  await mkdir(join(project, 'node_modules/@sf'), { recursive: true });
  await symlink(join(packages, 'core'), join(project, 'node_modules/@sf/core'));
  await writeFile(join(project, 'package.json'), '{ "type": "module" }');
});

afterAll(() => rm(project, { recursive: true, force: true }));

/** Imports the copied package and opens `creation.persist_file` when there is one; prints what happened. */
async function openCopied(creation: Record<string, unknown>): Promise<{ code?: string; message: string }> {
  const script = `
    import { testContext } from '@sf/core/testing';
    import { openStoreFile, persistPath } from './store/index.js';
    const context = testContext({ name: 'book', kind: 'state', side: 'out', addresses: {}, creation: ${JSON.stringify(creation)} });
    const path = persistPath(context);
    try {
      if (path !== undefined) (await openStoreFile(context, path, 'delta_update_out', 'CREATE TABLE t (k TEXT)', false)).close();
      console.log(JSON.stringify({ message: path === undefined ? 'no file' : 'opened' }));
    } catch (error) {
      console.log(JSON.stringify({ code: error.code, message: error.message }));
    }`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: project });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

describe('@sf/state-store without better-sqlite3 installed', () => {
  it('loads without persist_file, and with one fails to open telling to install the package', async () => {
    expect(await openCopied({})).toEqual({ message: 'no file' });
    const failure = await openCopied({ persist_file: join(project, 'book.sqlite') });
    expect(failure.code).toBe('SF_PLUGIN_MISSING');
    expect(failure.message).toMatch(
      /^persist_file needs the package better-sqlite3, which is missing: install it \(service test-service\.ts, model state_models\.out\.book/,
    );
    expect(failure.message).toContain('pnpm add better-sqlite3@12');
  }, 30_000);
});
