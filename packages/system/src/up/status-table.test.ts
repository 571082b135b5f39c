import { describe, expect, it } from 'vitest';
import { statusTable } from './status-table.js';

describe('statusTable', () => {
  it('aligns one row per service: pid, state, time up, restarts, last error (cut)', () => {
    const now = 1_000_000;
    const rows = statusTable(
      [
        { spec: { name: 'pricer' }, pid: 4242, state: 'up', startedAt: now - 125_000, restarts: 1, lastError: 'was killed by SIGKILL' },
        { spec: { name: 'order-feed' }, pid: 77, state: 'finished', startedAt: now, restarts: 0 },
        { spec: { name: 'quoter' }, state: 'crash loop', startedAt: now, restarts: 2, lastError: `exited with code 1: ${'x'.repeat(100)}` },
      ],
      now,
    );
    expect(rows).toEqual([
      'service     pid   state       up    restarts  last error',
      'pricer      4242  up          2m5s  1         was killed by SIGKILL',
      'order-feed  77    finished    -     0         -',
      `quoter      -     crash loop  -     2         exited with code 1: ${'x'.repeat(49)}…`,
    ]);
  });
});
