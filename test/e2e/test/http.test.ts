import { connect } from 'node:net';
import { beforeEach, describe, expect, it } from 'vitest';
import { freePort, type SfProcess, startSf } from '../src/index.js';
import { useE2eHooks } from './helpers/hooks.js';

const temp = useE2eHooks();
let base: string;
let port: number;
let service: SfProcess;

const ALL = {
  text: 'héllo',
  n: 1.25,
  flag: true,
  big: '12345678901234567890',
  price: '1.50',
  id: '123e4567-e89b-12d3-a456-426614174000',
  at: '2024-01-02T03:04:05.123000+00:00',
  bytes: Buffer.from([0, 1, 2, 253, 254, 255]).toString('base64'),
  tags: ['a', 'b'],
  levels: { '1.5': '2', '3': '4.25' },
  pair: ['7', 's'],
  items: [
    { qty: '1', note: null },
    { qty: '2.5', note: 'x' },
  ],
  free: { any: [1, 'two', { three: 3 }] },
};

/** POSTs `body` (JSON unless a string) to `path`. */
function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** The service still answers a good call. */
async function stillServing(): Promise<void> {
  const reply = await post('/orders/place', { order_id: 'A1' });
  expect(reply.status).toBe(200);
  expect(await reply.json()).toEqual({ order_no: 7 });
}

// Every test gets its own process (the e2e hooks end every `sf run` after each test).
beforeEach(async () => {
  port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const http = { http: `127.0.0.1:${port}` };
  const addresses = await temp.addresses({ connections: { in: { echo: http, place: http, secure: http, keyed: http } } });
  service = startSf(['-s', 'http-front.ts', '-a', addresses]);
  await service.ready();
});

describe('http_replyer against a real sf run process', () => {
  it('every value type round-trips in its JSON form; the handler saw Decimal, Set, bytes', async () => {
    const reply = await post('/echo', ALL, { 'x-workflow-id': 'wf-http-1' });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('x-workflow-id')).toBe('wf-http-1');
    expect(await reply.json()).toEqual({ ...ALL, price: '1.5', total: '3', got_set: true, got_bytes: 6 });
  });

  it('a new workflow id when none is given, sent back in the header', async () => {
    const reply = await post('/orders/place', { order_id: 'A1' });
    expect(reply.headers.get('x-workflow-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('bad args: 400 naming the argument path; a value not in its JSON form: 400 naming its path', async () => {
    const missing = await post('/orders/place', { order_id: 5 });
    expect(missing.status).toBe(400);
    const body = (await missing.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('SF_VALIDATION_FAILED');
    expect(body.error.message).toContain('args.order_id');
    const form = await post('/echo', { ...ALL, items: [{ qty: 'lots', note: null }] });
    expect(form.status).toBe(400);
    expect(((await form.json()) as { error: { message: string } }).error.message).toContain('args.items[0].qty');
  });

  it('a PublicError: its status, code and message; a failing handler: 500 with the generic message, no local detail', async () => {
    const missing = await post('/orders/place', { order_id: 'missing' });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { type: 'PublicError', code: 'ORDER_NOT_FOUND', message: 'No such order' } });
    const boom = await post('/orders/place', { order_id: 'boom' }, { 'x-workflow-id': 'wf-boom' });
    expect(boom.status).toBe(500);
    const text = await boom.text();
    expect(text).toContain('SF_HANDLER_FAILED');
    expect(text).toContain('wf-boom');
    expect(text).not.toContain('/var');
    await stillServing();
  });

  it('bad JSON 400, wrong content type 415, body over the limit 413, unknown path 404; still serving', async () => {
    const bad = await post('/orders/place', '{"order_id": ');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('FST_ERR_CTP_INVALID_JSON_BODY');
    const wrongType = await fetch(`${base}/orders/place`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'order_id=1',
    });
    expect(wrongType.status).toBe(415);
    const big = await post('/orders/place', { order_id: 'x'.repeat(10_000) });
    expect(big.status).toBe(413);
    const unknown = await post('/nowhere', {});
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('/orders/place');
    await stillServing();
  });

  it('missing or wrong credentials: 401 (bearer token, API key); right ones: 200', async () => {
    expect((await post('/secure', {})).status).toBe(401);
    const wrong = await post('/secure', {}, { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer');
    expect((await post('/secure', {}, { authorization: 'Bearer test-token' })).status).toBe(200);
    expect((await post('/keyed', {})).status).toBe(401);
    expect((await post('/keyed', {}, { 'x-api-key': 'nope' })).status).toBe(401);
    const right = await post('/keyed', {}, { 'x-api-key': 'test-key' });
    expect(right.status).toBe(200);
    expect(await right.json()).toEqual({ ok: true });
    await stillServing();
  });

  it('a slow client (a body that never ends) gets 408 after the request timeout; still serving', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk.toString();
      });
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
      socket.write('POST /orders/place HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"order_id"');
      setTimeout(() => socket.destroy(new Error('no answer within 10 s')), 10_000).unref();
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    await stillServing();
  });

  it('GET /openapi.json: OpenAPI 3.1 from the models; /docs serves the docs page', async () => {
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<
        string,
        { post: { requestBody: { content: { 'application/json': { schema: { properties: Record<string, unknown> } } } } } }
      >;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(['/echo', '/keyed', '/orders/place', '/secure']);
    expect(doc.paths['/echo']!.post.requestBody.content['application/json'].schema.properties.price).toMatchObject({
      type: 'string',
      format: 'decimal',
    });
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['apiKey_x-api-key', 'bearer']);
    const page = await fetch(`${base}/docs/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger');
  });

  it('SIGINT: the server closes and the service exits 0', async () => {
    await stillServing();
    expect(await service.stop('SIGINT')).toBe(0);
    await expect(post('/orders/place', { order_id: 'A1' })).rejects.toThrow();
  });
});
