import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** The fields of a package.json that plugin discovery reads. */
export interface PackageManifest {
  /** Package name. */
  name?: string;
  /** Runtime dependencies. */
  dependencies?: Record<string, string>;
  /** Development dependencies. */
  devDependencies?: Record<string, string>;
  /** Optional dependencies. */
  optionalDependencies?: Record<string, string>;
  /** Service-framework metadata: `{ "plugin": true }` marks a plugin package. */
  sf?: { plugin?: boolean };
  /** Entry points by subpath and condition (as written; read by `packageEntry`). */
  exports?: unknown;
  /** Entry point of a package without `exports`. */
  main?: unknown;
}

/** Path of the nearest package.json at or above `fromDir`, or `undefined` at the file system root. */
export async function findNearestPackageJson(fromDir: string): Promise<string | undefined> {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'package.json');
    if (await isFile(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Folder where `packageName` is installed as seen from `projectDir`, searched like Node does:
 * `node_modules/<name>` in the project folder, then in each parent folder.
 */
export async function findInstalledPackage(packageName: string, projectDir: string): Promise<string | undefined> {
  for (let dir = projectDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', packageName);
    if (await isFile(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
