import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { allowedHostsFromEnv, hostAllowed, type ListenAddress, type ServiceMetrics, TransportError } from '@sf/core';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { registerServiceMetrics } from './collectors.js';

/** A running metrics server. */
export interface MetricsServer {
  /** Its base URL, e.g. `http://127.0.0.1:9464`. */
  readonly url: string;
  /** Stops listening; safe twice. */
  close(): Promise<void>;
}

/**
 * Serves one running service over HTTP: `GET /metrics` (Prometheus text: the service's endpoint
 * metrics and the process metrics), `/metrics.json` (the same as prom-client's JSON, for `sf up`),
 * `/healthz` (200 while the process serves) and `/readyz` (200 when ready, else 503 with the reasons).
 * A request whose `Host` names another machine (DNS rebinding) gets 421 (see `hostAllowed`).
 */
export async function serveMetrics(metrics: ServiceMetrics, address: ListenAddress): Promise<MetricsServer> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  registerServiceMetrics(registry, metrics);
  const allowed = allowedHostsFromEnv();
  const server = createServer((request, response) => {
    if (!hostAllowed(request.headers.host, address.host, allowed)) return misdirected(response);
    void answer(request, response, registry, metrics).catch((error: unknown) => {
      send(response, 500, 'text/plain', `metrics failed: ${error instanceof Error ? error.message : String(error)}\n`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(listenError(address, error)));
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.unref();
  const { port } = server.address() as AddressInfo;
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    close: () => {
      closing ??= new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

async function answer(request: IncomingMessage, response: ServerResponse, registry: Registry, metrics: ServiceMetrics): Promise<void> {
  const path = (request.url ?? '/').split('?')[0];
  if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'text/plain', 'only GET\n');
  switch (path) {
    case '/metrics':
      return send(response, 200, registry.contentType, await registry.metrics());
    case '/metrics.json':
      return send(
        response,
        200,
        'application/json',
        JSON.stringify({ service: metrics.service, metrics: await registry.getMetricsAsJSON() }),
      );
    case '/healthz':
      return send(response, 200, 'text/plain', 'ok\n');
    case '/readyz': {
      const { ready, waiting } = metrics.readiness();
      return send(
        response,
        ready ? 200 : 503,
        'text/plain',
        ready ? 'ready\n' : `not ready:\n${waiting.map((line) => `- ${line}\n`).join('')}`,
      );
    }
    default:
      return send(response, 404, 'text/plain', 'not found: try /metrics, /metrics.json, /healthz or /readyz\n');
  }
}

/** 421 to a request for another host name: a page that rebound its domain to this machine reads nothing. */
function misdirected(response: ServerResponse): void {
  send(response, 421, 'text/plain', 'this server answers only its own address, localhost or a name in SF_ALLOWED_HOSTS\n');
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  response.end(body);
}

/** `SF_BIND_FAILED` for a metrics address that cannot be listened on (in use, not a local address). */
function listenError(address: ListenAddress, cause: Error): TransportError {
  return new TransportError('SF_BIND_FAILED', `Cannot serve metrics on ${address.host}:${address.port}: ${cause.message}`, {
    cause,
    hint: 'Give --metrics a free port (0 picks one) on an address of this machine, or stop the process that holds it',
  });
}
