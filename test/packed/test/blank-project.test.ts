import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeReply, encodeRequest } from '@sf/core/plugin';
import { alivePids, freePort, killAll, loopback, RawRequester, startSf } from '@sf/e2e';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PackedProject, publishedPackageDirs } from '../src/index.js';

/** A replyer written in TypeScript, importing only @sf/core: `sf run` must find the plugin itself. */
const ECHO_SERVICE = `import { defineService } from '@sf/core';

export default defineService({
  connection_models: {
    in: {
      echo: {
        connection_type: 'replyer',
        required_creation_arguments: { on_new_request: (args: { text: string }) => ({ text: args.text.toUpperCase() }) },
        required_arguments: { text: String },
        required_return_arguments: { text: String },
      },
    },
  },
});
`;

/** A plain-JavaScript service for the testkit to load. */
const TESTKIT_SERVICE = `export const connection_models = {
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

/** Plain Node (no vitest, no workspace) using @sf/testkit from the installed tarball. */
const TESTKIT_CHECK = `import { definePlugin } from '@sf/core/plugin';
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

const run = promisify(execFile);

let project: PackedProject;

beforeAll(async () => {
  project = await PackedProject.create();
});

afterEach(killAll);

afterAll(async () => {
  await killAll();
  await project?.remove();
  expect(alivePids()).toEqual([]);
});

describe('the published packages, packed and npm-installed into a blank project', () => {
  it('installs every published @sf/* package, support packages included', async () => {
    const published = await publishedPackageDirs();
    expect(project.tarballs.map((t) => t.name)).toEqual(expect.arrayContaining(['@sf/core', '@sf/cli', '@sf/state-store', '@sf/zmq-base']));
    expect(project.tarballs).toHaveLength(published.length);
  });

  it('`npx sf run` starts a .ts service that answers a real request over ZeroMQ', async () => {
    await project.write('echo.ts', ECHO_SERVICE);
    const port = await freePort();
    await project.write('addresses.json', JSON.stringify({ connections: { in: { echo: { replyer: loopback(port) } } } }));
    const sf = startSf(['-s', 'echo.ts', '-a', 'addresses.json'], { cwd: project.dir, command: ['npx', '--no-install', 'sf'] });
    await sf.ready(60_000);
    const requester = new RawRequester(port);
    try {
      const reply = decodeReply(await requester.request(encodeRequest({ args: { text: 'from a tarball' }, workflow_id: 'packed-1' })));
      expect(reply).toMatchObject({ return_args: { text: 'FROM A TARBALL' } });
    } finally {
      requester.close();
    }
    // Ctrl-C: the service shuts down cleanly; npx then ends by the same signal, as npm exec does.
    sf.signal('SIGINT');
    await sf.waitForLine(/\] stopped echo \{"exit_code":0\}/, 30_000);
    await sf.exitCode(30_000);
    expect(
      sf.lines.some((line) => line.includes('second signal')),
      sf.output(),
    ).toBe(false);
  });

  it('@sf/testkit imports and runs from the install, in plain Node', async () => {
    await project.write('service.mjs', TESTKIT_SERVICE);
    await project.write('check.mjs', TESTKIT_CHECK);
    expect(existsSync(join(project.dir, 'node_modules/@sf/testkit/dist/index.d.ts'))).toBe(true);
    const { stdout } = await run(process.execPath, ['check.mjs'], { cwd: project.dir });
    expect(JSON.parse(stdout)).toEqual({ good: { double: 42 }, bad: 'SF_VALIDATION_FAILED', checks: ['open and close twice (answer_in)'] });
  });
});
