import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../src/run-sf.js';
import { spawnSf, stopAll } from '../src/sf-process.js';

afterEach(stopAll);

const run = promisify(execFile);

/** The packages a blank project installs, by folder; the first four only as dependencies of the others. */
const PACKAGES: Record<string, string> = {
  '@sf/system': 'packages/system',
  '@sf/zmq-base': 'packages/zmq-base',
  '@sf/state-store': 'packages/state-store',
  '@sf/core': 'packages/core',
  '@sf/cli': 'packages/cli',
  '@sf/conn-zmq-reqrep': 'packages/conn-zmq-reqrep',
  '@sf/conn-zmq-pubsub': 'packages/conn-zmq-pubsub',
  '@sf/conn-external': 'packages/conn-external',
  '@sf/state-delta': 'packages/state-delta',
  'sf-conn-ndjson-tcp': 'examples/third-party-connection/ndjson-tcp',
};
const TRANSITIVE = ['@sf/system', '@sf/zmq-base', '@sf/state-store'];
const EXAMPLES = ['echo', 'pubsub', 'pipeline', 'market-data', 'external', 'third-party-connection/service'];

/**
 * A user's project: the packages packed as tarballs (as published) and installed with npm into an
 * empty folder, every example's service files and sf.system.json copied in, then `sf up` there.
 */
describe('sf up from a blank project installed from packed tarballs', () => {
  let project: string;

  beforeAll(async () => {
    project = await mkdtemp(join(tmpdir(), 'sf-packed-'));
    const tarballs = join(project, 'tarballs');
    await mkdir(tarballs);
    const files: Record<string, string> = {};
    for (const [name, folder] of Object.entries(PACKAGES)) {
      const { stdout } = await run('pnpm', ['pack', '--pack-destination', tarballs], { cwd: join(ROOT, folder) });
      files[name] = `file:${stdout.trim().split('\n').at(-1)}`;
    }
    const direct = Object.fromEntries(Object.entries(files).filter(([name]) => !TRANSITIVE.includes(name)));
    // The tarballs name each other by version (not published): overrides point npm at them.
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'blank', private: true, type: 'module', dependencies: direct, overrides: files }, null, 2));
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: project });
    for (const example of EXAMPLES) {
      const from = join(ROOT, 'examples', example);
      const to = join(project, example.replaceAll('/', '-'));
      await mkdir(to);
      for (const file of await readdir(from)) if (/\.ts$|^sf\.system\.json$/.test(file)) await cp(join(from, file), join(to, file));
    }
  }, 300_000);
  afterAll(async () => {
    if (project) await rm(project, { recursive: true, force: true });
  });

  it.each(EXAMPLES)('%s', async (example) => {
    const sf = spawnSf(['up', '--once'], join(project, example.replaceAll('/', '-')), join(project, 'node_modules/@sf/cli/dist/bin.js'));
    expect(await sf.exited, sf.lines.join('\n')).toBe(0);
    expect(sf.lines.at(-1)).toMatch(/^sf up +\| every service stopped$/);
    expect(sf.lines.filter((line) => /\| started /.test(line)).length).toBeGreaterThan(0);
  });
});
