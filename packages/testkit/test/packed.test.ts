// The published shape: pack @sf/core and @sf/testkit as `pnpm publish` would, npm-install the
// tarballs into a blank project, and use the testkit from there (plain Node, no vitest, no workspace).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';

const run = promisify(execFile);
const packages = join(import.meta.dirname, '..', '..');
let dir: string | undefined;

afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

const SERVICE = `export const connection_models = {
  in: {
    ask: {
      connection_type: 'answer_in',
      required_creation_arguments: { on_new_request: (args) => ({ double: args.n * 2 }) },
      required_arguments: { n: Number },
      required_return_arguments: { double: Number },
    },
  },
};
`;

const CHECK = `import { definePlugin } from '@sf/core/plugin';
import { planConformance, testService } from '@sf/testkit';

const plugin = definePlugin({
  name: 'blank-plugin',
  coreMajor: 0,
  types: {
    answer_in: {
      side: 'in', kind: 'connection', peers: [], addresses: [], handler: 'on_new_request', replies: true,
      creationArguments: { required: { on_new_request: Function } },
      create: () => { throw new Error('the testkit opens no endpoint'); },
    },
  },
});
const kit = await testService('./service.mjs', { plugins: [plugin], discover: false });
const good = await kit.call('ask', { n: 21 });
const bad = await kit.call('ask', { n: 'x' });
const checks = planConformance(plugin).map((check) => check.check + ' (' + check.subject + ')');
console.log(JSON.stringify({ good: good.return_args, bad: bad.error.code, checks }));
`;

it('a packed-tarball install into a blank project imports and uses the testkit', async () => {
  dir = await mkdtemp(join(tmpdir(), 'sf-testkit-packed-'));
  for (const name of ['core', 'testkit']) await run('pnpm', ['pack', '--pack-destination', dir], { cwd: join(packages, name) });
  const tarballs = await readdir(dir);
  const tarball = (name: string) => `file:./${tarballs.find((file) => file.startsWith(`sf-${name}-`))}`;
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'blank', private: true, type: 'module', dependencies: { '@sf/core': tarball('core'), '@sf/testkit': tarball('testkit') } }));
  await writeFile(join(dir, 'service.mjs'), SERVICE);
  await writeFile(join(dir, 'check.mjs'), CHECK);
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: dir });
  expect(existsSync(join(dir, 'node_modules/@sf/testkit/dist/index.d.ts'))).toBe(true);
  const { stdout } = await run(process.execPath, ['check.mjs'], { cwd: dir });
  expect(JSON.parse(stdout)).toEqual({ good: { double: 42 }, bad: 'SF_VALIDATION_FAILED', checks: ['open and close twice (answer_in)'] });
}, 180_000);
