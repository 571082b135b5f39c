import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RUN_FLAGS } from '../src/flags.js';
import { assertBuilt, killAll, runCli, startCli } from './spawn-cli.js';

const STACK_LINE = /^\s+at /m;
let dir: string;

beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'sf-cli-'));
});
afterEach(killAll);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function expectEveryFlag(text: string): void {
  for (const flag of RUN_FLAGS) {
    expect(text).toContain(flag.short ? `${flag.short}, --${flag.name}` : `--${flag.name}`);
  }
  expect(text).toContain('--<key> <value>');
  expect(text).toContain('sf run -s ./service.ts');
}

describe('sf help', () => {
  it('sf --help describes the run command and every flag', async () => {
    const result = await runCli(['--help']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^Usage: sf /);
    expect(result.stdout).toContain('Usage: sf run -s <path>');
    expectEveryFlag(result.stdout);
  });

  it('sf run --help and sf help run describe every flag', async () => {
    for (const args of [
      ['run', '--help'],
      ['run', '-h'],
      ['help', 'run'],
    ]) {
      const result = await runCli(args);
      expect(result, args.join(' ')).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toMatch(/^Usage: sf run -s <path>/);
      expectEveryFlag(result.stdout);
    }
  });

  it('sf --version prints the version', async () => {
    expect(await runCli(['--version'])).toEqual({ code: 0, stdout: '0.1.0\n', stderr: '' });
  });

  it('bare sf prints the help on stderr, exit 2', async () => {
    const result = await runCli([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^Usage: sf /);
  });
});

describe('sf usage errors', () => {
  it('a key without a value: one line on stderr, exit 2', async () => {
    const result = await runCli(['run', '-s', './service.ts', '--lonely']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      "sf: --lonely has no value (nothing follows it): extra arguments are config pairs, write --lonely <value> or --lonely=<value>. Run 'sf run --help'.\n",
    );
  });

  it('a missing -s: one line, exit 2', async () => {
    const result = await runCli(['run', '-m']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "sf: missing -s/--service <path>: the service file to run, as in: sf run -s ./service.ts. Run 'sf run --help'.\n",
    );
  });

  it('run flags without the command: one line suggesting sf run, exit 2', async () => {
    const result = await runCli(['-s', 'x.ts', '-m']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("sf: unknown option '-s'; flags go after the command, as in: sf run -s x.ts -m. Run 'sf --help'.\n");
  });

  it('an unknown command: one line pointing at sf --help, exit 2', async () => {
    const result = await runCli(['serve', '-s', 'x.ts']);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')).toHaveLength(2);
    expect(result.stderr).toMatch(/^sf: unknown command 'serve'.* Run 'sf --help'\.\n$/);
  });
});

describe('sf run start-up errors', () => {
  it('a missing service file: one readable line naming it, exit 1, no stack', async () => {
    const result = await runCli(['run', '-s', './missing-service.ts'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n'), result.stderr).toHaveLength(2);
    expect(result.stderr).toMatch(/^sf: .*missing-service\.ts/);
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('a missing service file with --debug: the same line, then the stack', async () => {
    const result = await runCli(['run', '-s', './missing-service.ts', '--debug'], { cwd: dir });
    expect(result.code).toBe(1);
    const [first, ...rest] = result.stderr.split('\n');
    expect(first).toMatch(/^sf: .*missing-service\.ts/);
    expect(rest.join('\n')).toMatch(STACK_LINE);
  });

  it('runs a main-mode service with extra config pairs and exits with its code', async () => {
    const file = join(dir, 'hello.mjs');
    const body = 'console.log("greeting=" + config.greeting + " n=" + typeof config.n);';
    writeFileSync(file, `export function main(to_send, config) { ${body} }\n`);
    const result = await runCli(['run', '-s', './hello.mjs', '-m', '--greeting', 'HELLO', '-n=5', '-cl', 'ERROR'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('greeting=HELLO n=string');
    expect(result.code).toBe(0);
  });

  it('serves until SIGTERM, runs sigint_handler, then exits 0', async () => {
    const service = fileURLToPath(new URL('./fixtures/replyer.mjs', import.meta.url));
    const addresses = join(dir, 'addresses.json');
    const endpoint = `ipc://${join(dir, 'echo.sock')}`;
    writeFileSync(addresses, JSON.stringify({ connections: { in: { echo: { replyer: endpoint } } } }));
    const cli = startCli(['run', '-s', service, '-a', addresses]);
    await cli.waitForStdout(/ready/);
    cli.child.kill('SIGTERM');
    const result = await cli.result;
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('sigint_handler got SIGTERM');
    expect(result.code).toBe(0);
  });
});
