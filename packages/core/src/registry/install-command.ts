import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Lockfile → the command that adds a package with that package manager, in the order they are looked for in one folder. */
const LOCKFILES: readonly (readonly [string, string])[] = [
  ['pnpm-lock.yaml', 'pnpm add'],
  ['yarn.lock', 'yarn add'],
  ['package-lock.json', 'npm install'],
  ['bun.lock', 'bun add'],
  ['bun.lockb', 'bun add'],
];

/**
 * `npm install <pkg>`, `pnpm add <pkg>`, `yarn add <pkg>` or `bun add <pkg>`: the package manager
 * of the project around `from` (a service file or a folder), told by the nearest lockfile; npm,
 * which comes with Node.js, when there is none.
 */
export function installCommand(pkg: string, from: string = process.cwd()): string {
  let dir = isServiceFile(from) ? dirname(resolve(from)) : resolve(from);
  for (;;) {
    for (const [file, command] of LOCKFILES) if (existsSync(resolve(dir, file))) return `${command} ${pkg}`;
    const parent = dirname(dir);
    if (parent === dir) return `npm install ${pkg}`;
    dir = parent;
  }
}

/** A service file (`pricer.ts`) rather than a folder: start from its folder. */
function isServiceFile(path: string): boolean {
  return /\.[cm]?[jt]sx?$|\.py$/.test(path);
}
