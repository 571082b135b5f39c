import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '@sf/e2e';

const run = promisify(execFile);

/** One packed workspace package. */
export interface Tarball {
  /** Package name, e.g. `@sf/core`. */
  readonly name: string;
  /** Absolute path of the `.tgz`. */
  readonly file: string;
}

interface Manifest {
  name?: string;
  private?: boolean;
  main?: string;
}

/** The folders under `packages/` whose package is published (not private), sorted by name. */
export async function publishedPackageDirs(): Promise<string[]> {
  const root = join(REPO_ROOT, 'packages');
  const dirs: string[] = [];
  for (const entry of (await readdir(root, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!entry.isDirectory()) continue;
    const manifest = JSON.parse(await readFile(join(root, entry.name, 'package.json'), 'utf8')) as Manifest;
    if (manifest.private !== true) dirs.push(join(root, entry.name));
  }
  return dirs;
}

/**
 * Packs every published workspace package, and the extra `folders` (absolute, or relative to the
 * repository root), with `pnpm pack` (which turns `workspace:` ranges into the real versions, as a
 * release does) into `destination`. A package whose built entry point is not in its tarball is an
 * error: build first (`nx run-many -t build`).
 */
export async function packPublished(destination: string, folders: readonly string[] = []): Promise<Tarball[]> {
  const tarballs: Tarball[] = [];
  for (const dir of [...(await publishedPackageDirs()), ...folders.map((folder) => resolve(REPO_ROOT, folder))]) {
    const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as Manifest;
    const { stdout } = await run('pnpm', ['pack', '--json', '--pack-destination', destination], { cwd: dir });
    const packed = JSON.parse(stdout) as { name: string; filename: string; files: { path: string }[] };
    const entry = manifest.main?.replace(/^\.\//, '');
    if (entry !== undefined && !packed.files.some((file) => file.path === entry)) {
      throw new Error(`${packed.name}: the tarball has no ${entry}; build the packages first (pnpm build)`);
    }
    tarballs.push({ name: packed.name, file: packed.filename });
  }
  return tarballs;
}
