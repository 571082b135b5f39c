import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type LiveServer, serveLivePage } from './live-server.js';
import type { LiveView } from './live-view.js';

/** GET `path` from `url` with the `Host` header set to `host`: status and body. */
function get(url: string, path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, url), { headers: { host } }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

let page: LiveServer | undefined;
afterEach(async () => page?.close());

describe('the sf up --ui page server', () => {
  it('answers requests for its own address or localhost, and 421 to any other Host (DNS rebinding)', async () => {
    const view = { status: () => ({ services: ['secret-service-name'] }) } as unknown as LiveView;
    page = await serveLivePage(view, '<svg/>', { host: '127.0.0.1', port: 0 });
    const port = new URL(page.url).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'localhost']) {
      const ok = await get(page.url, '/status.json', host);
      expect(ok.status).toBe(200);
      expect(ok.body).toContain('secret-service-name');
    }
    for (const host of [`evil.example:${port}`, 'attacker.test']) {
      const refused = await get(page.url, '/status.json', host);
      expect(refused.status).toBe(421);
      expect(refused.body).not.toContain('secret-service-name');
    }
    expect((await get(page.url, '/', 'evil.example')).status).toBe(421);
  });
});
