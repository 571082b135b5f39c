import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { allowedHostsFromEnv, hostAllowed, type ListenAddress, TransportError } from '@sf/core';
import { LIVE_PAGE } from './live-page.js';
import type { LiveView } from './live-view.js';
import type { TraceStore } from '@sf/tracing/collector';

/** The running page server of `sf up --ui`. */
export interface LiveServer {
  /** Its URL, e.g. `http://127.0.0.1:8080/`. */
  readonly url: string;
  /** Stops serving. */
  close(): Promise<void>;
}

/**
 * Serves the live page of a system: `/` (one HTML page, no build step), `/graph.svg` (the system
 * graph of `sf graph`) and `/status.json` (services and wire rates from {@link LiveView}); with
 * `traces` (the spans `sf up` collects), `/traces.json?workflow=<id prefix>` (the recent traces,
 * newest first, at most 50) and `/trace.json?id=<trace id>` (one trace's spans, by start).
 * A request whose `Host` names another machine (DNS rebinding) gets 421 (see `hostAllowed`).
 */
export async function serveLivePage(view: LiveView, graphSvg: string, address: ListenAddress, traces?: TraceStore): Promise<LiveServer> {
  const allowed = allowedHostsFromEnv();
  const server = createServer((request, response) => {
    if (!hostAllowed(request.headers.host, address.host, allowed))
      return send(response, 421, 'text/plain', 'this page answers only its own address, localhost or a name in SF_ALLOWED_HOSTS\n');
    const url = new URL(request.url ?? '/', 'http://page');
    const path = url.pathname;
    if (path === '/' || path === '/index.html') return send(response, 200, 'text/html; charset=utf-8', LIVE_PAGE);
    if (path === '/graph.svg') return send(response, 200, 'image/svg+xml', graphSvg);
    if (path === '/status.json') return send(response, 200, 'application/json', JSON.stringify(view.status()));
    if (path === '/traces.json') {
      const list = traces?.list(url.searchParams.get('workflow') ?? undefined).slice(0, MAX_LISTED) ?? [];
      return send(response, 200, 'application/json', JSON.stringify({ collecting: traces !== undefined, traces: list }));
    }
    if (path === '/trace.json')
      return send(response, 200, 'application/json', JSON.stringify(traces?.trace(url.searchParams.get('id') ?? '') ?? []));
    return send(response, 404, 'text/plain', 'not found: try /, /graph.svg or /status.json\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        new TransportError('SF_BIND_FAILED', `sf up --ui cannot serve on ${address.host}:${address.port}: ${error.message}`, {
          cause: error,
          hint: 'Give --ui a free port (0 picks one) on an address of this machine',
        }),
      ),
    );
    server.listen(address.port, address.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return {
    url: `http://${host}:${port}/`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Traces listed at most by `/traces.json`. */
const MAX_LISTED = 50;

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  response.end(body);
}
