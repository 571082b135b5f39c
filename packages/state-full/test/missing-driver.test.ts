// The built plugin in a project where better-sqlite3 is not installed: only persist_file needs it.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from '@sf/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const packages = join(here, '../..');
let project: string;

// A project holding a copy of dist and links to what it imports, but no better-sqlite3.
beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'sf-no-sqlite-'));
  await cp(join(here, '../dist'), join(project, 'plugin'), { recursive: true });
  await mkdir(join(project, 'node_modules/@sf'), { recursive: true });
  for (const name of ['core', 'zmq-base']) await symlink(join(packages, name), join(project, 'node_modules/@sf', name));
  await symlink(join(packages, 'zmq-base/node_modules/zeromq'), join(project, 'node_modules/zeromq'));
  await writeFile(join(project, 'package.json'), '{ "type": "module" }');
});

afterAll(() => rm(project, { recursive: true, force: true }));

/** Opens a full_update_out from the copied plugin with `creation`; prints what open() did. */
async function openCopied(creation: Record<string, unknown>): Promise<{ code?: string; message: string }> {
  const addresses = { publisher: `127.0.0.1:${await freePort()}` };
  const script = `
    import { testContext } from '@sf/core/testing';
    import plugin from './plugin/index.js';
    const context = testContext({ name: 'prices', kind: 'state', side: 'out', addresses: ${JSON.stringify(addresses)}, creation: ${JSON.stringify(creation)} });
    const endpoint = await plugin.types.full_update_out.create(context);
    try {
      await endpoint.open();
      console.log(JSON.stringify({ message: 'opened' }));
    } catch (error) {
      console.log(JSON.stringify({ code: error.code, message: error.message }));
    } finally {
      await endpoint.close();
    }`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: project });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

describe('full_update_out without better-sqlite3 installed', () => {
  it('works without persist_file, and with one fails at start telling to install the package', async () => {
    expect(await openCopied({ wait_after_creation_s: 0 })).toEqual({ message: 'opened' });
    const failure = await openCopied({ wait_after_creation_s: 0, persist_file: join(project, 'prices.sqlite') });
    expect(failure.code).toBe('SF_PLUGIN_MISSING');
    expect(failure.message).toMatch(/^persist_file needs the package better-sqlite3, which is missing: install it \(service test-service\.ts, model state_models\.out\.prices/);
    expect(failure.message).toContain('pnpm add better-sqlite3@12');
  }, 30_000);
});
