import { cp, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PackedProject } from '@sf/packed';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../src/run-sf.js';
import { spawnSf, stopAll } from '../src/sf-process.js';

afterEach(stopAll);

const EXAMPLES = ['echo', 'pubsub', 'pipeline', 'market-data', 'external', 'third-party-connection/service'];

/**
 * A user's project: the published packages and the third-party example plugin packed as tarballs
 * and installed with npm into an empty folder (`@sf/packed`), every example's service files and
 * sf.system.json copied in, then `sf up` there.
 */
describe('sf up from a blank project installed from packed tarballs', () => {
  let project: PackedProject;

  beforeAll(async () => {
    project = await PackedProject.create({ folders: ['examples/third-party-connection/ndjson-tcp'] });
    for (const example of EXAMPLES) {
      const from = join(ROOT, 'examples', example);
      const to = join(project.dir, example.replaceAll('/', '-'));
      await mkdir(to);
      for (const file of await readdir(from)) if (/\.ts$|^sf\.system\.json$/.test(file)) await cp(join(from, file), join(to, file));
    }
  }, 600_000);
  afterAll(async () => {
    await project?.remove();
  });

  it.each(EXAMPLES)('%s', async (example) => {
    const sf = spawnSf(
      ['up', '--once'],
      join(project.dir, example.replaceAll('/', '-')),
      join(project.dir, 'node_modules/@sf/cli/dist/bin.js'),
    );
    expect(await sf.exited, sf.lines.join('\n')).toBe(0);
    expect(sf.lines.at(-1)).toMatch(/^sf up +\| every service stopped$/);
    expect(sf.lines.filter((line) => /\| started /.test(line)).length).toBeGreaterThan(0);
  });
});
