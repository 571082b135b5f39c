import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '@sf/e2e';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npmEnvironment, packPublished, type Tarball } from '../src/index.js';

/** README's "Start a new project" section: its files and its commands, in order. */
interface Recipe {
  /** `// name` first line → the block's text. */
  readonly files: ReadonlyMap<string, string>;
  /** Every command line of its `sh` blocks, comments removed. */
  readonly commands: readonly string[];
}

async function readmeRecipe(): Promise<Recipe> {
  const readme = await readFile(join(REPO_ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Start a new project\n');
  expect(start, 'README has a "Start a new project" section').toBeGreaterThan(0);
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const files = new Map<string, string>();
  const commands: string[] = [];
  for (const [, language, body = ''] of section.matchAll(/```(\w+)\n([\s\S]*?)```/g)) {
    if (language === 'sh') {
      commands.push(
        ...body
          .split('\n')
          .map((line) => line.replace(/\s+#.*$/, '').trim())
          .filter(Boolean),
      );
      continue;
    }
    const name = /^\/\/ (\S+)\n/.exec(body)?.[1];
    expect(name, `a ${language} block names its file on its first line`).toBeDefined();
    files.set(name!, body);
  }
  return { files, commands };
}

/** What one command printed and how it ended. */
interface Ran {
  readonly code: number | null;
  readonly output: string;
}

let root: string;
let project: string;
let tarballs: readonly Tarball[];
let recipe: Recipe;
const ran = new Map<string, Ran>();

/**
 * Runs one README command in the project: in its own process group (killed whole if it outlives
 * `timeoutMs` or leaves anything behind), with a clean npm environment. `npm install @sf/x` takes
 * @sf/x from its packed tarball (nothing of that name is on the registry yet); anything else
 * (vitest, typescript, zeromq…) comes from the registry.
 */
function run(command: string, timeoutMs = 300_000): Promise<Ran> {
  const line = command.startsWith('npm install') ? command.replace(/@sf\/[\w-]+/g, (name) => `file:${tarballOf(name)}`) : command;
  // Nothing of this test run's vitest either: the project's own vitest must start as a user's would.
  const env = Object.fromEntries(
    Object.entries(npmEnvironment(join(root, 'npm-cache'))).filter(([key]) => !/^(VITEST|TINYPOOL|NODE_ENV$)/.test(key)),
  );
  const child = spawn('sh', ['-c', line], { cwd: project, env, detached: true });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const killGroup = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
      return true;
    } catch {
      return false;
    }
  };
  const timer = setTimeout(killGroup, timeoutMs);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      const leftover = killGroup();
      resolve({ code, output: leftover ? `${output}\n(processes were left behind and killed)` : output });
    });
  });
}

/** The tarball of a package, relative to the project (npm then records the same spec in package.json as in `overrides`). */
function tarballOf(name: string): string {
  const tarball = tarballs.find((candidate) => candidate.name === name);
  if (tarball === undefined) throw new Error(`the README installs ${name}, which is not a published package of this repository`);
  return relative(project, tarball.file);
}

beforeAll(async () => {
  recipe = await readmeRecipe();
  root = await mkdtemp(join(tmpdir(), 'sf-new-project-'));
  project = join(root, 'project');
  await mkdir(join(root, 'tarballs'));
  await mkdir(project);
  tarballs = await packPublished(join(root, 'tarballs'));
  for (const command of recipe.commands) {
    if (command.startsWith('npx')) break;
    const result = await run(command);
    ran.set(command, result);
    if (result.code !== 0) throw new Error(`${command} failed in ${project}:\n${result.output}`);
    if (command === 'npm init -y') {
      // Test only: the @sf/* ranges inside the tarballs resolve to the tarballs too, as the registry would serve them.
      const manifest = JSON.parse(await readFile(join(project, 'package.json'), 'utf8'));
      manifest.overrides = Object.fromEntries(tarballs.map(({ name }) => [name, `file:${tarballOf(name)}`]));
      await writeFile(join(project, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    }
  }
  for (const [name, text] of recipe.files) await writeFile(join(project, name), text);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("README's Start a new project, run as written in a blank npm project from the packed packages", () => {
  it('installs with npm, without "type": "module"', async () => {
    expect(recipe.commands.slice(0, 3)).toEqual([
      'npm init -y',
      'npm install @sf/core @sf/cli @sf/conn-zmq-reqrep',
      'npm install -D @sf/testkit vitest typescript',
    ]);
    const manifest = JSON.parse(await readFile(join(project, 'package.json'), 'utf8'));
    expect(manifest.type === undefined || manifest.type === 'commonjs').toBe(true);
    expect(Object.keys(manifest.dependencies)).toEqual(['@sf/cli', '@sf/conn-zmq-reqrep', '@sf/core']);
    expect([...recipe.files.keys()]).toEqual(['tsconfig.json', 'pricer.ts', 'caller.ts', 'pricer.test.ts']);
  });

  it('every sf, vitest and tsc command of the section succeeds, in order', async () => {
    const rest = recipe.commands.filter((command) => command.startsWith('npx'));
    expect(rest).toEqual(['npx sf init pricer.ts caller.ts', 'npx sf check', 'npx sf up --once', 'npx vitest run', 'npx tsc']);
    for (const command of rest) {
      const result = await run(command, 180_000);
      ran.set(command, result);
      expect(result.code, `${command}\n${result.output}`).toBe(0);
    }
    const system = JSON.parse(await readFile(join(project, 'sf.system.json'), 'utf8'));
    expect(system).toEqual({
      $schema: './node_modules/@sf/system/sf.system.schema.json',
      name: 'project',
      services: { pricer: { service: 'pricer.ts' }, caller: { service: 'caller.ts', main: true } },
    });
    expect(ran.get('npx sf check')?.output).toMatch(/^project: 2 services, 1 wire, no problems$/m);
    const up = ran.get('npx sf up --once')!.output;
    expect(up).toMatch(/^caller +\| caller: BTC is 64000$/m);
    expect(up).toMatch(/^sf up +\| every service stopped$/m);
    expect(ran.get('npx vitest run')?.output).toMatch(/1 passed/);
  });
});
