import { describe, expect, it } from 'vitest';
import { redactUrlCredentials } from './redact-url.js';

describe('redactUrlCredentials', () => {
  it('hides user and password of every URL, keeps the rest', () => {
    expect(redactUrlCredentials('nats://sf:s3cret@127.0.0.1:4222,nats://tok@h2:4222, nats://h3:4222')).toBe(
      'nats://[redacted]@127.0.0.1:4222,nats://[redacted]@h2:4222, nats://h3:4222',
    );
    expect(redactUrlCredentials('Cannot connect to NATS at nats://u:p@h:1: refused')).toBe(
      'Cannot connect to NATS at nats://[redacted]@h:1: refused',
    );
  });

  it('leaves text without credentials alone, e-mail addresses included', () => {
    expect(redactUrlCredentials('nats://127.0.0.1:4222')).toBe('nats://127.0.0.1:4222');
    expect(redactUrlCredentials('ops@example.com')).toBe('ops@example.com');
    expect(redactUrlCredentials('http://h/path@x')).toBe('http://h/path@x');
  });
});
