import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '@sf/e2e';
import { packPublished, type Tarball } from './pack.js';

const run = promisify(execFile);
const { localNodeDir } = createRequire(import.meta.url)(join(REPO_ROOT, 'scripts/node-headers.cjs')) as {
  localNodeDir: () => string | undefined;
};

/** How long an `npm install` may take: it downloads from the registry and may compile better-sqlite3. */
const INSTALL_TIMEOUT_MS = 540_000;

/**
 * A clean environment for npm and npx: none of the npm_* settings of the pnpm run that started the
 * tests, npm's cache in `cache` (so nothing from an earlier run is reused), node-gyp pointed at
 * the running Node's headers where it ships them.
 */
export function npmEnvironment(cache: string): NodeJS.ProcessEnv {
  const nodedir = localNodeDir();
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')));
  return {
    ...inherited,
    npm_config_cache: cache,
    npm_config_update_notifier: 'false',
    ...(nodedir && { npm_config_nodedir: nodedir }),
  };
}

/** Options of {@link PackedProject.create}. */
export interface PackedProjectOptions {
  /** Extra dependencies from the registry, name → range. */
  readonly dependencies?: Record<string, string>;
  /** Extra workspace folders (absolute, or relative to the repository root) packed and installed too, e.g. an example plugin. */
  readonly folders?: readonly string[];
}

/**
 * A blank npm project in a temporary folder that depends on every published `@sf/*` package,
 * installed from tarballs packed from this workspace: what a user gets from the registry after a
 * release. npm's cache is kept inside the folder, so nothing from an earlier run is reused.
 */
export class PackedProject {
  /** The project folder (holds `package.json` and `node_modules`). */
  readonly dir: string;
  /** The tarballs it was installed from. */
  readonly tarballs: readonly Tarball[];
  readonly #root: string;

  private constructor(root: string, tarballs: readonly Tarball[]) {
    this.#root = root;
    this.dir = join(root, 'project');
    this.tarballs = tarballs;
  }

  /** Packs the published packages and `options.folders` (built beforehand) and `npm install`s them into a new blank project. */
  static async create(options: PackedProjectOptions = {}): Promise<PackedProject> {
    const root = await mkdtemp(join(tmpdir(), 'sf-packed-'));
    try {
      await mkdir(join(root, 'tarballs'));
      const project = new PackedProject(root, await packPublished(join(root, 'tarballs'), options.folders));
      await project.#install(options.dependencies ?? {});
      return project;
    } catch (error) {
      await rm(root, { recursive: true, force: true });
      throw error;
    }
  }

  /** Writes `content` to `name` in the project folder and returns its path. */
  async write(name: string, content: string): Promise<string> {
    const file = join(this.dir, name);
    await writeFile(file, content);
    return file;
  }

  /** Deletes the project, its tarballs and npm cache. */
  async remove(): Promise<void> {
    await rm(this.#root, { recursive: true, force: true });
  }

  async #install(registry: Record<string, string>): Promise<void> {
    await mkdir(this.dir);
    const dependencies = { ...registry, ...Object.fromEntries(this.tarballs.map(({ name, file }) => [name, `file:${file}`])) };
    // The tarballs also stand for every @sf/* range inside them, so nothing is fetched from the registry under that name.
    const manifest = {
      name: 'packed-project',
      version: '0.0.0',
      private: true,
      type: 'module',
      dependencies,
      overrides: { ...dependencies },
    };
    await writeFile(join(this.dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const env = npmEnvironment(join(this.#root, 'npm-cache'));
    try {
      await run('npm', ['install', '--no-audit', '--no-fund'], {
        cwd: this.dir,
        env,
        timeout: INSTALL_TIMEOUT_MS,
        maxBuffer: 64 * 1024 * 1024,
      });
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      throw new Error(`npm install of the packed packages failed in ${this.dir}:\n${stdout ?? ''}\n${stderr ?? ''}`, { cause: error });
    }
  }
}
