import { describe, expect, it } from 'vitest';
import { metricsEndpoints } from './metrics-ports.js';

describe('metricsEndpoints', () => {
  it('gives each replica of an explicit host:port the next port', async () => {
    expect(await metricsEndpoints({ service: 'a.ts', metrics: '0.0.0.0:9464' }, 2, false)).toEqual([
      { listen: '0.0.0.0:9464', url: 'http://127.0.0.1:9464' },
      { listen: '0.0.0.0:9465', url: 'http://127.0.0.1:9465' },
    ]);
  });

  it('picks free loopback ports for metrics: true, and for every JavaScript service under --ui unless metrics: false', async () => {
    const [free] = await metricsEndpoints({ service: 'a.ts', metrics: true }, 1, false);
    expect(free?.listen).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(free?.url).toBe(`http://${free?.listen}`);
    expect((await metricsEndpoints({ service: 'a.ts' }, 1, true))[0]?.listen).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(await metricsEndpoints({ service: 'a.ts', metrics: false }, 1, true)).toEqual([undefined]);
    expect(await metricsEndpoints({ service: 'a.ts' }, 1, false)).toEqual([undefined]);
  });

  it('gives a Python service none: it has no --metrics', async () => {
    expect(await metricsEndpoints({ service: 'q.py', python: true, metrics: true }, 1, true)).toEqual([undefined]);
  });
});
