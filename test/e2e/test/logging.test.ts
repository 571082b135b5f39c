import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, loopback, startSf } from '../src/index.js';
import { useE2eHooks } from './helpers/hooks.js';

const temp = useE2eHooks();

/** pino's numeric levels. */
const INFO = 30;

describe('log folder', () => {
  it('-l <folder> -f info writes the service’s lines as JSON in a .log file, info and up only', async () => {
    const port = await freePort();
    const addresses = await temp.addresses({
      connections: { in: { echo: { replyer: loopback(port) } }, out: { echo: { requester: loopback(port) } } },
    });
    const folder = await temp.path('logs');
    const replyer = startSf(['-s', 'echo-replyer.ts', '-a', addresses, '-l', folder, '-f', 'info', '-cl', 'debug']);
    await replyer.ready();
    const requester = startSf(['-s', 'echo-requester.mjs', '-a', addresses, '-m', '--words', 'logged']);
    expect(await requester.exitCode(), requester.output()).toBe(0);
    expect(await replyer.stop('SIGINT'), replyer.output()).toBe(0);
    // The console got the debug lines the file must leave out.
    expect(replyer.lines.some((line) => /DEBUG: \[echo-replyer\] received /.test(line))).toBe(true);

    const files = (await readdir(folder)).filter((name) => name.endsWith('.log'));
    expect(files.length).toBeGreaterThan(0);
    expect(files.every((name) => name.startsWith('echo-replyer'))).toBe(true);
    const text = (await Promise.all(files.map((name) => readFile(join(folder, name), 'utf8')))).join('');
    const records = text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { level: number; msg: string; service: string; time: number });

    const messages = records.map((record) => record.msg);
    expect(messages).toContain('ready');
    expect(messages).toContain('stopping');
    expect(messages).toContain('stopped echo-replyer');
    expect(messages).not.toContain('received');
    expect(records.every((record) => record.service === 'echo-replyer' && record.level >= INFO && typeof record.time === 'number')).toBe(
      true,
    );
  });

  it('a main-mode service that ends at once still leaves every line in its log file', async () => {
    const folder = await temp.path('quick-logs');
    const quick = startSf(['-s', 'main-only.mjs', '-m', '-l', folder]);
    expect(await quick.exitCode(), quick.output()).toBe(0);
    const files = (await readdir(folder)).filter((name) => name.endsWith('.log'));
    const text = (await Promise.all(files.map((name) => readFile(join(folder, name), 'utf8')))).join('');
    const messages = text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(messages).toContain('main finished');
    expect(messages.at(-1)).toBe('stopped main-only');
  });
});
