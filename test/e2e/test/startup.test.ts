import { describe, expect, it } from 'vitest';
import { freePort, loopback, type SfProcess, startSf } from '../src/index.js';
import { stderrLines, useE2eHooks } from './helpers/hooks.js';

const temp = useE2eHooks();

/** Runs to the end; expects exit code 1 and exactly one `sf: …` line on stderr, which it returns. */
async function failsWithOneLine(proc: SfProcess): Promise<string> {
  expect(await proc.exitCode(), proc.output()).toBe(1);
  const lines = stderrLines(proc.stderr);
  expect(lines, proc.output()).toHaveLength(1);
  expect(lines[0]).toMatch(/^sf: /);
  expect(lines[0]).not.toMatch(/\n|^\s+at /);
  return lines[0]!;
}

describe('main mode', () => {
  it('runs main and exits 0', async () => {
    const proc = startSf(['-s', 'main-only.mjs', '-m', '--note', 'hi']);
    expect(await proc.exitCode(), proc.output()).toBe(0);
    expect(proc.stdout).toContain('main ran: to_send is a function, config.note=hi');
    expect(proc.lines.some((line) => /\] started in main mode\b/.test(line))).toBe(true);
    expect(stderrLines(proc.stderr)).toEqual([]);
  });

  it('refuses a service with an in connection: one stderr line naming main mode and the model path', async () => {
    const addresses = await temp.addresses({ connections: { in: { orders: { subscriber: loopback(await freePort()) } } } });
    const proc = startSf(['-s', 'main-with-in.mjs', '-a', addresses, '-m']);
    const line = await failsWithOneLine(proc);
    expect(line).toMatch(/main mode/i);
    expect(line).toContain('connection_models.in.orders');
    expect(proc.stdout).not.toContain('main must not run');
  });
});

describe('config from the command line', () => {
  it('extra pairs reach config; --count=3 is a Number as config_model says; a .ts service runs unbuilt', async () => {
    const proc = startSf(['-s', 'greeter.ts', '-m', '--greeting', 'hello', '--count=3', '-extra', 'kept as a string']);
    expect(await proc.exitCode(), proc.output()).toBe(0);
    const printed = proc.stdout.find((line) => line.startsWith('config: '));
    expect(JSON.parse(printed?.slice('config: '.length) ?? 'null')).toEqual({
      greeting: 'hello',
      count: 3,
      countType: 'number',
      extra: 'kept as a string',
    });
  });

  it('a missing required config key: one line naming it, exit 1', async () => {
    const line = await failsWithOneLine(startSf(['-s', 'greeter.ts', '-m', '--count', '3']));
    expect(line).toContain('greeting');
    expect(line).toContain('config_model');
  });

  it('a config value that is not the declared type: one line naming it, exit 1', async () => {
    const line = await failsWithOneLine(startSf(['-s', 'greeter.ts', '-m', '--greeting', 'hi', '--count', 'three']));
    expect(line).toContain('config.count');
    expect(line).toContain("'three'");
  });
});

describe('start-up errors are one readable line and a non-zero exit', () => {
  it('a bad address in the addresses file', async () => {
    const addresses = await temp.addresses({ connections: { in: { echo: { replyer: '127.0.0.1:99999' } } } });
    const line = await failsWithOneLine(startSf(['-s', 'echo-replyer.ts', '-a', addresses]));
    expect(line).toContain('99999');
    expect(line).toContain('connections.in.echo.replyer');
  });

  it('an address missing from the addresses file', async () => {
    const addresses = await temp.addresses({ connections: { in: {} } });
    const line = await failsWithOneLine(startSf(['-s', 'echo-replyer.ts', '-a', addresses]));
    expect(line).toContain('connections.in.echo');
  });

  it('an unknown connection_type lists the known types', async () => {
    const line = await failsWithOneLine(startSf(['-s', 'typo-type.mjs']));
    expect(line).toContain("'replyr'");
    for (const known of ['replyer', 'requester', 'publisher', 'subscriber']) expect(line).toContain(known);
  });

  it('a first-party type whose package is not installed names the package to install', async () => {
    const line = await failsWithOneLine(startSf(['-s', 'without-state-full/uninstalled-type.mjs']));
    expect(line).toContain('full_update_in');
    expect(line).toContain('@sf/state-full');
  });

  it('a service file that does not exist', async () => {
    const line = await failsWithOneLine(startSf(['-s', 'no-such-service.ts']));
    expect(line).toContain('no-such-service.ts');
  });

  it('with --debug, the stack trace follows the line', async () => {
    const proc = startSf(['-s', 'typo-type.mjs', '--debug']);
    expect(await proc.exitCode()).toBe(1);
    expect(proc.stderr[0]).toMatch(/^sf: .*'replyr'/);
    expect(proc.stderr.some((line) => /^\s+at /.test(line))).toBe(true);
  });
});
