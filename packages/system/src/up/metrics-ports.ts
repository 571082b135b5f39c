import { parseListenAddress } from '@sf/core';
import { freePort } from '@sf/core/testing';
import type { SystemService } from '../system-file/system-types.js';

/** Where one process serves its metrics: the `--metrics` value and the base URL to scrape. */
export interface MetricsEndpoint {
  /** `host:port` for `sf run --metrics`. */
  readonly listen: string;
  /** `http://host:port`, reachable from `sf up`. */
  readonly url: string;
}

/**
 * The metrics endpoint of each replica of a service: its `metrics` entry (`"host:port"`: replica
 * n gets port + n - 1; `true`: free loopback ports), or free loopback ports for every JavaScript
 * service when `sf up --ui` serves the live page (unless `metrics: false`). Python services have none.
 */
export async function metricsEndpoints(spec: SystemService, replicas: number, ui: boolean): Promise<(MetricsEndpoint | undefined)[]> {
  const wanted = spec.metrics ?? ui;
  if (spec.python !== undefined && spec.python !== false) return Array.from({ length: replicas }, () => undefined);
  if (wanted === false) return Array.from({ length: replicas }, () => undefined);
  const fixed = typeof wanted === 'string' ? parseListenAddress(wanted) : undefined;
  return Promise.all(
    Array.from({ length: replicas }, async (_, index) => {
      const host = fixed?.host ?? '127.0.0.1';
      const port = fixed !== undefined && fixed.port !== 0 ? fixed.port + index : await freePort();
      const reach = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
      return {
        listen: `${host.includes(':') ? `[${host}]` : host}:${port}`,
        url: `http://${reach.includes(':') ? `[${reach}]` : reach}:${port}`,
      };
    }),
  );
}
