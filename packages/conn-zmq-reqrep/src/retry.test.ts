import { RequestTimeoutError, ValidationError } from '@sf/core';
import type { Endpoint } from '@sf/core/plugin';
import { freePort, outbound, type TestContext, testContext } from '@sf/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { replyer } from './replyer.js';
import { requester } from './requester.js';
import { MAX_RETRY_BACKOFF_MS, retryDelay } from '@sf/core/plugin';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function requesterContext(port: number, creation: Record<string, unknown>): TestContext {
  return testContext({ name: 'ask', side: 'out', addresses: { requester: `127.0.0.1:${port}` }, creation });
}

async function openRequester(context: TestContext): Promise<Endpoint> {
  const endpoint = await requester.create(context);
  cleanups.push(() => endpoint.close());
  await endpoint.open();
  return endpoint;
}

/** A replyer that records each request and answers `ok <request>`, after `delayMs` for the first one. */
async function openRecordingReplyer(port: number, delayMs = 0): Promise<string[]> {
  const seen: string[] = [];
  const endpoint = await replyer.create(
    testContext({
      addresses: { replyer: `127.0.0.1:${port}` },
      creation: { on_new_request: () => ({}) },
      receive: async (frame) => {
        seen.push(Buffer.from(frame).toString());
        if (seen.length === 1) await new Promise((resolve) => setTimeout(resolve, delayMs));
        return Buffer.from(`ok ${Buffer.from(frame).toString()}`);
      },
    }),
  );
  cleanups.push(() => endpoint.close());
  await endpoint.open();
  return seen;
}

const text = (reply: unknown): string => Buffer.from(reply as Uint8Array).toString();
const retryLines = (context: TestContext) =>
  context.logs.filter((line) => line.level === 'warn' && /sending the request again/.test(line.msg ?? ''));

describe('requester retry policy', () => {
  it('refuses retries unless the model declares idempotent: true, and refuses fractional retries', () => {
    const refused = () => requester.create(requesterContext(1, { retries: 2 }));
    expect(refused).toThrow(ValidationError);
    expect(refused).toThrow('optional_creation_arguments.retries');
    expect(refused).toThrow('needs idempotent: true');
    expect(() => requester.create(requesterContext(1, { retries: 2, idempotent: false }))).toThrow('received idempotent: false');
    expect(() => requester.create(requesterContext(1, { retries: 1.5, idempotent: true }))).toThrow(
      'Creation argument retries is out of range',
    );
    expect(() => requester.create(requesterContext(1, { retries: 2, idempotent: true, retry_backoff_ms: -1 }))).toThrow('retry_backoff_ms');
    expect(() => requester.create(requesterContext(1, { idempotent: true }))).not.toThrow();
  });

  it('doubles the wait after each retry, up to the cap', () => {
    const policy = { retries: 20, backoffMs: 100 };
    expect([1, 2, 3, 4].map((retry) => retryDelay(policy, retry))).toEqual([100, 200, 400, 800]);
    expect(retryDelay(policy, 20)).toBe(MAX_RETRY_BACKOFF_MS);
  });

  it('an idempotent request sent while the replyer is down gets through once it is up, within the retry budget', async () => {
    const port = await freePort();
    const context = requesterContext(port, { timeout_ms: 250, retries: 8, retry_backoff_ms: 50, idempotent: true });
    const endpoint = await openRequester(context);
    const reply = endpoint.send?.(outbound('late replyer'));
    await new Promise((resolve) => setTimeout(resolve, 600));
    const seen = await openRecordingReplyer(port);
    expect(text(await reply)).toBe('ok late replyer');
    expect(retryLines(context).length).toBeGreaterThanOrEqual(1);
    // The tries sent while nobody listened were dropped with their socket: the replyer got one.
    expect(seen).toEqual(['late replyer']);
  });

  it('gives up after retries + 1 tries with a RequestTimeoutError that says so', async () => {
    const port = await freePort();
    const context = requesterContext(port, { timeout_ms: 150, retries: 2, retry_backoff_ms: 40, idempotent: true });
    const endpoint = await openRequester(context);
    const started = Date.now();
    const failure = endpoint.send?.(outbound('nobody'));
    await expect(failure).rejects.toBeInstanceOf(RequestTimeoutError);
    await expect(failure).rejects.toThrow('within 150 ms, after 3 tries');
    // Three timeouts and waits of 40 then 80 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(3 * 150 + 40 + 80 - 10);
    expect(retryLines(context).map((line) => (line.obj as { retry: number }).retry)).toEqual([1, 2]);
  });

  it('without retries a slow reply is never asked for twice: one send per call', async () => {
    const port = await freePort();
    const seen = await openRecordingReplyer(port, 400);
    const context = requesterContext(port, { timeout_ms: 150 });
    const endpoint = await openRequester(context);
    await expect(endpoint.send?.(outbound('once'))).rejects.toBeInstanceOf(RequestTimeoutError);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(seen).toEqual(['once']);
    expect(retryLines(context)).toEqual([]);
    // The reply to the timed-out call went to the discarded socket: the next call gets its own.
    expect(text(await endpoint.send?.(outbound('next')))).toBe('ok next');
  });

  it('close() during the wait before a retry rejects the call at once', async () => {
    const port = await freePort();
    const endpoint = await openRequester(requesterContext(port, { timeout_ms: 100, retries: 3, retry_backoff_ms: 5000, idempotent: true }));
    const pending = endpoint.send?.(outbound('stuck'));
    pending?.catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 250));
    const closing = Date.now();
    await endpoint.close();
    await expect(pending).rejects.toMatchObject({ code: 'SF_CONNECTION_CLOSED' });
    expect(Date.now() - closing).toBeLessThan(1000);
  });
});
