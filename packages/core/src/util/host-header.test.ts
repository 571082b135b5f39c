import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { allowedHostsFromEnv, hostAllowed } from './host-header.js';

describe('hostAllowed', () => {
  it('accepts IP literals, localhost, the bound host and this machine, with or without a port', () => {
    for (const host of ['127.0.0.1:9464', '127.0.0.1', '[::1]:9464', '10.1.2.3', 'localhost:8080', 'LOCALHOST.', 'app.localhost']) {
      expect(hostAllowed(host, '127.0.0.1', [])).toBe(true);
    }
    expect(hostAllowed('metrics.internal:9464', 'metrics.internal', [])).toBe(true);
    expect(hostAllowed(`${hostname()}:9464`, '0.0.0.0', [])).toBe(true);
    expect(hostAllowed(undefined, '127.0.0.1', [])).toBe(true);
  });

  it('refuses any other name (a DNS-rebinding page sends its own), unless SF_ALLOWED_HOSTS lists it', () => {
    expect(hostAllowed('evil.example:9464', '127.0.0.1', [])).toBe(false);
    expect(hostAllowed('localhost.evil.example', '0.0.0.0', [])).toBe(false);
    expect(hostAllowed('[::1', '127.0.0.1', [])).toBe(false);
    const extra = allowedHostsFromEnv({ SF_ALLOWED_HOSTS: ' Scrape.Example , other ' });
    expect(extra).toEqual(['scrape.example', 'other']);
    expect(hostAllowed('scrape.example:9464', '0.0.0.0', extra)).toBe(true);
  });
});
