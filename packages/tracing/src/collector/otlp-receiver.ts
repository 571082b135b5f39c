/**
 * A small OTLP/HTTP receiver for JSON exports (`POST /v1/traces`, `application/json`): what
 * `sf up --ui` runs so that its live page shows traces without a collector, and what tests use.
 * Protobuf bodies are refused with 415 (point a protobuf exporter at a real collector).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { allowedHostsFromEnv, hostAllowed } from '@sf/core';
import { spansOfExport } from './otlp-json.js';
import { TraceStore, type TraceStoreLimits } from './trace-store.js';

/** Largest export request body taken, in bytes. */
export const MAX_EXPORT_BYTES = 8 * 1024 * 1024;

/** A running receiver. */
export interface OtlpReceiver {
  /** The URL to export to, e.g. `http://127.0.0.1:43123/v1/traces`. */
  readonly url: string;
  /** The traces received so far (bounded, see {@link TraceStoreLimits}). */
  readonly store: TraceStore;
  /** Stops listening. */
  close(): Promise<void>;
}

/** Listens on `host:port` (port 0: a free one) for OTLP/HTTP JSON trace exports. */
export async function receiveTraces(listen: { host: string; port: number }, limits?: TraceStoreLimits): Promise<OtlpReceiver> {
  const store = new TraceStore(limits);
  const allowed = allowedHostsFromEnv();
  const server = createServer((request, response) => {
    // A page that rebound its domain to this machine (DNS rebinding) posts nothing here: 421, as the live page answers.
    if (!hostAllowed(request.headers.host, listen.host, allowed)) {
      request.resume();
      return answer(response, 421, 'this receiver answers only its own address, localhost or a name in SF_ALLOWED_HOSTS');
    }
    void handle(request, response, store);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = listen.host.includes(':') ? `[${listen.host}]` : listen.host;
  return {
    url: `http://${host}:${port}/v1/traces`,
    store,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(request: IncomingMessage, response: ServerResponse, store: TraceStore): Promise<void> {
  if (request.method !== 'POST' || request.url?.split('?')[0] !== '/v1/traces') return answer(response, 404, 'POST /v1/traces only');
  if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
    request.resume();
    return answer(response, 415, 'only OTLP/HTTP JSON (application/json) is taken here');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_EXPORT_BYTES) {
      request.destroy();
      return answer(response, 413, 'export request too large');
    }
    chunks.push(chunk);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return answer(response, 400, 'the body is not JSON');
  }
  store.add(spansOfExport(body));
  response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
}

function answer(response: ServerResponse, status: number, text: string): void {
  if (!response.headersSent) response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(text);
}
