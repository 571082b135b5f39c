import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry } from './registry.js';
import { installCommand } from './install-command.js';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sf-install-command-'));
  for (const [project, lockfile] of [
    ['npm-project', 'package-lock.json'],
    ['yarn-project', 'yarn.lock'],
    ['pnpm-project', 'pnpm-lock.yaml'],
    ['bare-project', undefined],
  ] as const) {
    await mkdir(join(root, project, 'src'), { recursive: true });
    await writeFile(join(root, project, 'package.json'), '{}');
    if (lockfile) await writeFile(join(root, project, lockfile), '');
  }
});

afterAll(() => rm(root, { recursive: true, force: true }));

describe('installCommand', () => {
  it("uses the package manager of the service's project, found by its lockfile above the service file", () => {
    expect(installCommand('@sf/conn-zmq-reqrep', join(root, 'npm-project/src/pricer.ts'))).toBe('npm install @sf/conn-zmq-reqrep');
    expect(installCommand('@sf/conn-zmq-reqrep', join(root, 'yarn-project/src/pricer.ts'))).toBe('yarn add @sf/conn-zmq-reqrep');
    expect(installCommand('@sf/conn-zmq-reqrep', join(root, 'pnpm-project/src'))).toBe('pnpm add @sf/conn-zmq-reqrep');
  });

  it('says npm install where no lockfile is found (npm comes with Node.js)', () => {
    // tmpdir() holds no lockfile above it on a normal machine; the bare project has none itself.
    expect(installCommand('@sf/state-delta', join(root, 'bare-project/service.mjs'))).toMatch(/^(npm install|pnpm add|yarn add|bun add) /);
    expect(installCommand('@sf/state-delta', join(root, 'bare-project/service.mjs'))).toBe(installCommand('@sf/state-delta', root));
  });

  it('the unknown-type hint of a service in an npm project says npm install, not pnpm add', () => {
    const service = join(root, 'npm-project/src/pricer.ts');
    const error = (() => {
      try {
        createRegistry().resolve('replyer', { service, kind: 'connection' });
      } catch (caught) {
        return caught as Error;
      }
      throw new Error('resolved');
    })();
    expect(error.message).toContain(
      "'replyer' is provided by @sf/conn-zmq-reqrep: run `npm install @sf/conn-zmq-reqrep` in the service's project",
    );
    expect(error.message).not.toContain('pnpm add');
  });
});
