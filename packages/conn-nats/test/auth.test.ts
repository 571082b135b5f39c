// Login with user and password through the runner: the password reaches the server, never the logs.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startService } from '@sf/core';
import { freePort } from '@sf/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitLogin } from '../src/connection.js';
import natsPlugin from '../src/index.js';
import { natsAvailability } from '../src/testing.js';

const here = dirname(fileURLToPath(import.meta.url));
const nats = natsAvailability();
const PASSWORD = 'pw-9f3b2c-never-logged';

describe.skipIf(!nats.binary)(`NATS login through the runner${nats.skip}`, () => {
  let server: ChildProcess;
  let servers: string;
  let dir: string;
  beforeAll(async () => {
    const port = await freePort();
    servers = `nats://127.0.0.1:${port}`;
    dir = mkdtempSync(join(tmpdir(), 'sf-nats-auth-'));
    server = spawn(nats.binary!, ['-a', '127.0.0.1', '-p', String(port), '--user', 'sf', '--pass', PASSWORD], { stdio: 'ignore' });
  });
  afterAll(async () => {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  });

  const common = { plugins: [natsPlugin], discover: false, handleSignals: false } as const;
  const logs = (name: string) => join(dir, name);
  const logText = (folder: string) =>
    readdirSync(folder)
      .map((file) => readFileSync(join(folder, file), 'utf8'))
      .join('');

  it('answers with the right password (debug logs show [redacted]), and refuses to start with a wrong one', async () => {
    const extra = { servers, password: PASSWORD };
    const logging = (name: string) => ({ consoleLevel: 'fatal', folder: logs(name), fileLevel: 'debug' }) as const;
    // The server may still be starting: the first service retries its start until it connects.
    let echo: Awaited<ReturnType<typeof startService>> | undefined;
    for (let tries = 0; !echo; tries++) {
      try {
        echo = await startService({ ...common, service: join(here, 'fixtures/secure-echo.ts'), extra, logging: logging('echo') });
      } catch (error) {
        if (tries > 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    try {
      const ask = await startService({
        ...common,
        service: join(here, 'fixtures/secure-ask.ts'),
        extra,
        mainMode: true,
        logging: logging('ask'),
      });
      expect(await ask.done).toBe(0);
    } finally {
      await echo.stop();
    }
    for (const name of ['echo', 'ask']) {
      const text = logText(logs(name));
      expect(text).toContain('[redacted]');
      expect(text).not.toContain(PASSWORD);
    }
    const refused = startService({
      ...common,
      service: join(here, 'fixtures/secure-ask.ts'),
      extra: { servers, password: 'wrong' },
      mainMode: true,
      logging: { consoleLevel: 'fatal' },
    });
    await expect(refused).rejects.toMatchObject({ code: 'SF_CONNECT_FAILED', message: expect.stringContaining(servers) });
  });

  it('a password inside a server URL reaches the server, never the logs nor the start error', async () => {
    const port = servers.slice(servers.lastIndexOf(':') + 1);
    const withLogin = `nats://sf:${PASSWORD}@127.0.0.1:${port}`;
    const logging = (name: string) => ({ consoleLevel: 'fatal', folder: logs(name), fileLevel: 'debug' }) as const;
    const echo = await startService({
      ...common,
      service: join(here, 'fixtures/url-echo.ts'),
      extra: { servers: withLogin },
      logging: logging('url-echo'),
    });
    try {
      const ask = await startService({
        ...common,
        service: join(here, 'fixtures/url-ask.ts'),
        extra: { servers: withLogin },
        mainMode: true,
        logging: logging('url-ask'),
      });
      expect(await ask.done).toBe(0);
    } finally {
      await echo.stop();
    }
    for (const name of ['url-echo', 'url-ask']) {
      const text = logText(logs(name));
      expect(text).toContain(`nats://[redacted]@127.0.0.1:${port}`);
      expect(text).not.toContain(PASSWORD);
    }
    const refused = startService({
      ...common,
      service: join(here, 'fixtures/url-ask.ts'),
      extra: { servers: `nats://sf:wrong-${PASSWORD}@127.0.0.1:${port}` },
      mainMode: true,
      logging: { consoleLevel: 'fatal' },
    });
    await expect(refused).rejects.toMatchObject({
      code: 'SF_CONNECT_FAILED',
      message: expect.stringContaining(`nats://127.0.0.1:${port}`),
    });
    await refused.catch((error: Error) => expect(error.message).not.toContain(PASSWORD));
  });
});

describe('splitLogin', () => {
  it('takes the login out of server URLs: user and password, or a token, URL-decoded', () => {
    expect(splitLogin(['nats://sf:p%40ss@h1:4222', 'nats://h2:4222'])).toEqual({
      servers: ['nats://h1:4222', 'nats://h2:4222'],
      login: { user: 'sf', pass: 'p@ss' },
    });
    expect(splitLogin(['tok123@h1:4222'])).toEqual({ servers: ['h1:4222'], login: { token: 'tok123' } });
    expect(splitLogin(['nats://h1:4222'])).toEqual({ servers: ['nats://h1:4222'], login: {} });
  });
});
