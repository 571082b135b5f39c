import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@sf/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, killAll, runCli, startCli } from './spawn-cli.js';

// sf keygen, then two sf run processes over CURVE: the keys come from config and key files, and
// no secret (config value, inline key, key file content) shows in console output or log files.
let dir: string;
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'sf-curve-cli-'));
});
afterEach(killAll);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function keyPair(name: string): { publicKey: string; secretKey: string } {
  const text = readFileSync(join(dir, 'keys', `${name}.key`), 'utf8');
  return { publicKey: /public-key = "(.{40})"/.exec(text)?.[1] ?? '', secretKey: /secret-key = "(.{40})"/.exec(text)?.[1] ?? '' };
}

function logText(folder: string): string {
  return readdirSync(folder)
    .map((file) => readFileSync(join(folder, file), 'utf8'))
    .join('\n');
}

describe('sf run with CURVE', () => {
  it('answers the allowed client, refuses a stranger (logged by short id), and never logs a secret', async () => {
    for (const name of ['server', 'client', 'stranger'])
      expect((await runCli(['keygen', '-o', join(dir, 'keys'), '--name', name])).code).toBe(0);
    const [server, client, stranger] = [keyPair('server'), keyPair('client'), keyPair('stranger')];
    writeFileSync(join(dir, 'keys', 'allowed_clients'), readFileSync(join(dir, 'keys', 'client.pub')));
    const port = await freePort();
    const addresses = join(dir, 'addresses.json');
    writeFileSync(
      addresses,
      JSON.stringify({
        connections: { in: { echo: { replyer: `127.0.0.1:${port}` } }, out: { echo: { requester: `127.0.0.1:${port}` } } },
      }),
    );
    const API_TOKEN = 'tok-SUPER-SECRET-31337';
    const DB_PASSWORD = 'pw-HUNTER2-424242';
    writeFileSync(
      join(dir, 'server.json'),
      JSON.stringify({
        api_token: API_TOKEN,
        curve_key_file: join(dir, 'keys', 'server.key'),
        curve_allowed_clients_file: join(dir, 'keys', 'allowed_clients'),
      }),
    );
    for (const folder of ['server-logs', 'client-logs']) mkdirSync(join(dir, folder));
    const replyer = startCli(
      [
        'run',
        '-s',
        fixture('curve-replyer.mjs'),
        '-a',
        addresses,
        '-c',
        join(dir, 'server.json'),
        '-cl',
        'debug',
        '-l',
        join(dir, 'server-logs'),
        '-f',
        'debug',
        '--db_password',
        DB_PASSWORD,
      ],
      { timeoutMs: 30_000 },
    );
    await replyer.waitForStdout(/ready/);

    const ask = (keys: { publicKey: string; secretKey: string }, logs: string[] = []) => {
      const config = join(dir, `client-${keys.publicKey.slice(0, 4).replace(/\W/g, '_')}.json`);
      writeFileSync(
        config,
        JSON.stringify({ curve_public_key: keys.publicKey, curve_secret_key: keys.secretKey, curve_server_public_key: server.publicKey }),
      );
      return runCli(['run', '-s', fixture('curve-requester.mjs'), '-a', addresses, '-c', config, '-m', ...logs], { timeoutMs: 30_000 });
    };
    const allowed = await ask(client, ['-cl', 'debug', '-l', join(dir, 'client-logs'), '-f', 'debug']);
    expect(allowed.stdout).toContain('reply: echo hello over curve');
    expect(allowed.code).toBe(0);
    const refused = await ask(stranger);
    expect(refused.stdout).toContain('no answer: SF_REQUEST_TIMEOUT');

    replyer.child.kill('SIGTERM');
    const served = await replyer.result;
    expect(served.code).toBe(0);
    expect(served.stdout).toContain('refused a CURVE client whose key is not in the allowed client keys');
    expect(served.stdout).toContain(stranger.publicKey.slice(0, 8));

    // The debug lines that carry config and creation arguments were written, with secrets redacted.
    const outputs = {
      'server console': served.stdout + served.stderr,
      'server log files': logText(join(dir, 'server-logs')),
      'client console': allowed.stdout + allowed.stderr,
      'client log files': logText(join(dir, 'client-logs')),
    };
    expect(outputs['server log files']).toContain('"api_token":"[redacted]"');
    expect(outputs['server log files']).toContain('"db_password":"[redacted]"');
    expect(outputs['client log files']).toContain('"curve_secret_key":"[redacted]"');
    expect(outputs['client log files']).toMatch(/"creation":\{[^\n]*"curve":\{[^\n]*"secret_key":"\[redacted\]"/);
    for (const [where, text] of Object.entries(outputs)) {
      for (const value of [API_TOKEN, DB_PASSWORD, server.secretKey, client.secretKey, stranger.secretKey]) {
        expect(text.includes(value), `${where} holds a secret`).toBe(false);
      }
    }
  }, 60_000);
});
