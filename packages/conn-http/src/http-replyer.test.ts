import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Endpoint } from '@sf/core/plugin';
import { freePort, testContext } from '@sf/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { httpReplyer } from './http-replyer.js';

const opened: Endpoint[] = [];
afterEach(async () => {
  for (const endpoint of opened.splice(0).reverse()) await endpoint.close();
});

/** Creates and opens an http_replyer named `name` on `port` with `creation`. */
async function open(name: string, port: number, creation: Record<string, unknown> = {}): Promise<Endpoint> {
  const context = testContext({ name, addresses: { http: `127.0.0.1:${port}` }, creation: { on_new_request: () => ({}), ...creation } });
  const endpoint = await httpReplyer.create(context);
  opened.push(endpoint);
  await endpoint.open();
  return endpoint;
}

describe('http_replyer: one server per address', () => {
  it('serves several models on one server; the last close stops it', async () => {
    const port = await freePort();
    const a = await open('a', port);
    const b = await open('b', port);
    expect((await fetch(`http://127.0.0.1:${port}/a`, { method: 'POST' })).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/b`, { method: 'POST' })).status).toBe(200);
    await a.close();
    expect((await fetch(`http://127.0.0.1:${port}/a`, { method: 'POST' })).status).toBe(404);
    await b.close();
    await expect(fetch(`http://127.0.0.1:${port}/b`, { method: 'POST' })).rejects.toThrow();
  });

  it('refuses a path taken twice and server settings that differ, naming the other model', async () => {
    const port = await freePort();
    await open('a', port);
    await expect(open('b', port, { path: 'a' })).rejects.toThrow(/path \/a .*already taken by connection_models\.in\.a/);
    await expect(open('c', port, { body_limit_bytes: 10 })).rejects.toThrow(
      /shares the HTTP server .* with connection_models\.in\.a but sets bodyLimitBytes/,
    );
  });

  it('a malformed address, and TLS half given, fail at create', async () => {
    expect(() => httpReplyer.create(testContext({ addresses: { http: 'nowhere' }, creation: { on_new_request: () => ({}) } }))).toThrow(
      /http address "nowhere" is not host:port/,
    );
    const port = await freePort();
    await expect(open('t', port, { tls_cert: '-----BEGIN CERTIFICATE-----' })).rejects.toThrow(/needs both tls_key and tls_cert/);
  });

  it('a rate limit answers 429 past it; CORS is off unless origins are given', async () => {
    const port = await freePort();
    await open('limited', port, { rate_limit_per_minute: 2 });
    const call = () => fetch(`http://127.0.0.1:${port}/limited`, { method: 'POST', headers: { origin: 'https://app.example.com' } });
    const first = await call();
    expect(first.headers.get('access-control-allow-origin')).toBeNull();
    await call();
    const third = await call();
    expect(third.status).toBe(429);
    expect(((await third.json()) as { error: { code: string } }).error.code).toBe('SF_HTTP_RATE_LIMITED');
    const other = await freePort();
    await open('shared', other, { cors_origins: ['https://app.example.com'] });
    const allowed = await fetch(`http://127.0.0.1:${other}/shared`, { method: 'POST', headers: { origin: 'https://app.example.com' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
  });

  it('an authorize hook decides; a pause answers 503', async () => {
    const port = await freePort();
    const endpoint = await open('hooked', port, {
      authorize: ({ headers }: { headers: Record<string, string> }) => headers['x-ok'] === 'yes',
    });
    expect((await fetch(`http://127.0.0.1:${port}/hooked`, { method: 'POST' })).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${port}/hooked`, { method: 'POST', headers: { 'x-ok': 'yes' } })).status).toBe(200);
    await endpoint.pause!();
    expect((await fetch(`http://127.0.0.1:${port}/hooked`, { method: 'POST', headers: { 'x-ok': 'yes' } })).status).toBe(503);
  });
});

describe('http_replyer: start-up failures are framework errors', () => {
  it('TLS material node cannot read: SF_BIND_FAILED naming the address', async () => {
    const port = await freePort();
    await expect(
      open('tls', port, { tls_key: '-----BEGIN PRIVATE KEY-----\nno\n', tls_cert: '-----BEGIN CERTIFICATE-----\nno\n' }),
    ).rejects.toMatchObject({
      code: 'SF_BIND_FAILED',
      message: expect.stringContaining(`127.0.0.1:${port}`),
    });
  });
});

describe('http_replyer over TLS', () => {
  it('serves HTTPS with the key and certificate given as files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sf-http-tls-'));
    try {
      const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
      execFileSync(
        'openssl',
        ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'],
        {
          stdio: 'ignore',
        },
      );
      const port = await freePort();
      await open('secure', port, { tls_key: key, tls_cert: cert });
      const answer = await new Promise<{ status: number | undefined; body: string }>((resolve, reject) => {
        const req = httpsRequest(
          { host: '127.0.0.1', port, path: '/secure', method: 'POST', ca: readFileSync(cert), rejectUnauthorized: false },
          (res) => {
            let body = '';
            res.on('data', (chunk) => {
              body += chunk;
            });
            res.on('end', () => resolve({ status: res.statusCode, body }));
          },
        );
        req.on('error', reject);
        req.end();
      });
      expect(answer).toEqual({ status: 200, body: '{}' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
