import { request } from 'node:http';
import { ServiceMetrics } from '@sf/core';
import { listen } from '@sf/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type MetricsServer, serveMetrics } from './metrics-server.js';

const MODELS = [
  { path: 'connection_models.in.echo', typeName: 'replyer', side: 'in', kind: 'connection' },
  { path: 'state_models.in.book', typeName: 'delta_update_in', side: 'in', kind: 'state' },
] as const;

let server: MetricsServer | undefined;
afterEach(async () => server?.close());

function serviceMetrics(): ServiceMetrics {
  const metrics = new ServiceMetrics('echo', MODELS, { counts: () => ({ 'connection_models.in.echo': { bad_arguments: 2 } }) });
  metrics.opened();
  return metrics;
}

describe('serveMetrics', () => {
  it('serves the counters as Prometheus text, read at scrape time', async () => {
    const metrics = serviceMetrics();
    server = await serveMetrics(metrics, { host: '127.0.0.1', port: 0 });
    const echo = metrics.of('connection_models.in.echo')!;
    echo.messagesIn = 5;
    echo.bytesIn = 120;
    echo.failed(new Error('boom'));
    const started = performance.now();
    echo.inflight = 1;
    echo.finished(started);
    const book = metrics.of('state_models.in.book')!;
    book.report('current_num', () => 42);
    book.count('snapshots');

    const text = await (await fetch(`${server.url}/metrics`)).text();
    const labels = 'service="echo",model="connection_models.in.echo",type="replyer"';
    expect(text).toContain(`sf_messages_total{${labels},direction="in"} 5`);
    expect(text).toContain(`sf_message_bytes_total{${labels},direction="in"} 120`);
    expect(text).toContain(`sf_errors_total{${labels},error="HandlerError"} 1`);
    expect(text).toContain(`sf_rejected_total{${labels},reason="bad_arguments"} 2`);
    expect(text).toContain(`sf_handler_duration_seconds_bucket{${labels},le="+Inf"} 1`);
    expect(text).toContain(`sf_handler_duration_seconds_count{${labels}} 1`);
    expect(text).toContain('sf_state_current_num{service="echo",model="state_models.in.book",type="delta_update_in"} 42');
    expect(text).toContain('sf_snapshots_total{service="echo",model="state_models.in.book",type="delta_update_in"} 1');
    expect(text).toContain('process_resident_memory_bytes');

    echo.messagesIn = 6;
    expect(await (await fetch(`${server.url}/metrics`)).text()).toContain(`sf_messages_total{${labels},direction="in"} 6`);
    const json = (await (await fetch(`${server.url}/metrics.json`)).json()) as { service: string; metrics: { name: string }[] };
    expect(json.service).toBe('echo');
    expect(json.metrics.map((metric) => metric.name)).toContain('sf_messages_total');
  });

  it('/healthz answers while serving; /readyz waits for the in-state and flips when it loses its writer', async () => {
    const metrics = serviceMetrics();
    server = await serveMetrics(metrics, { host: '127.0.0.1', port: 0 });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const notReady = await fetch(`${server.url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.text()).toContain('state_models.in.book (delta_update_in) holds no value from a live writer');
    const book = metrics.of('state_models.in.book')!;
    book.ready = true;
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    book.lost();
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
    metrics.stopping();
    expect(await (await fetch(`${server.url}/readyz`)).text()).toContain('the service is stopping');
    expect((await fetch(`${server.url}/nothing`)).status).toBe(404);
  });

  it('a port in use is SF_BIND_FAILED with a hint', async () => {
    const holder = await listen(0);
    const port = (holder.address() as { port: number }).port;
    try {
      await expect(serveMetrics(serviceMetrics(), { host: '127.0.0.1', port })).rejects.toMatchObject({
        code: 'SF_BIND_FAILED',
        message: expect.stringContaining(`Cannot serve metrics on 127.0.0.1:${port}`),
      });
    } finally {
      holder.close();
    }
  });
});

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

describe('the Host check', () => {
  it('answers its own address and localhost; 421 to another name (DNS rebinding), unless SF_ALLOWED_HOSTS lists it', async () => {
    server = await serveMetrics(serviceMetrics(), { host: '127.0.0.1', port: 0 });
    const port = new URL(server.url).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      const ok = await get(server.url, '/metrics', host);
      expect(ok.status).toBe(200);
      expect(ok.body).toContain('sf_messages_total');
    }
    const refused = await get(server.url, '/metrics.json', `rebound.example:${port}`);
    expect(refused.status).toBe(421);
    expect(refused.body).not.toContain('echo');
    await server.close();

    process.env.SF_ALLOWED_HOSTS = 'scrape.example';
    try {
      server = await serveMetrics(serviceMetrics(), { host: '127.0.0.1', port: 0 });
    } finally {
      delete process.env.SF_ALLOWED_HOSTS;
    }
    expect((await get(server.url, '/healthz', 'scrape.example:9464')).status).toBe(200);
    expect((await get(server.url, '/healthz', 'rebound.example')).status).toBe(421);
  });
});
