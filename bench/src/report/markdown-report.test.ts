import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BenchReport } from '../results.js';
import { row, target } from '../results.js';
import { BEGIN, END, writeBenchmarksMarkdown } from './markdown-report.js';

const report = (rate: number): BenchReport => ({
  mode: 'smoke',
  startedAt: '2030-01-02T03:04:05.000Z',
  elapsedS: 12,
  machine: { cpus: 2, cpuModel: 'Test CPU', node: 'v20.0.0', platform: 'linux x64', memoryMb: 1024, loadBefore: 0.5, loadAfter: 0.7 },
  cases: [
    {
      id: 'pubsub-throughput',
      title: '1. Pub/sub',
      rows: [row('received', 'msg/s', rate, 20_000)],
      targets: [target('pub/sub ≥ 0.8 × raw', rate / 20_000, '>=', 0.8)],
      notes: ['a note'],
      elapsedMs: 1,
    },
  ],
});

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('writeBenchmarksMarkdown', () => {
  it('writes a new file with the conditions, the targets and the tables', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sf-bench-md-'));
    dirs.push(dir);
    const file = join(dir, 'BENCHMARKS.md');
    await writeBenchmarksMarkdown(file, report(18_000));
    const text = await readFile(file, 'utf8');
    expect(text).toContain('2 CPUs (Test CPU)');
    expect(text).toContain('Node.js v20.0.0');
    expect(text).toContain('| pub/sub ≥ 0.8 × raw | 0.90× | PASS |');
    expect(text).toContain('| received | msg/s | 18,000 | 20,000 | 0.90× |');
  });

  it('replaces only what lies between the markers', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sf-bench-md-'));
    dirs.push(dir);
    const file = join(dir, 'BENCHMARKS.md');
    await writeFile(file, `# Mine\n\nBefore.\n\n${BEGIN}\nold table\n${END}\n\n## Analysis\n\nKept.\n`);
    await writeBenchmarksMarkdown(file, report(10_000));
    const text = await readFile(file, 'utf8');
    expect(text.startsWith('# Mine\n\nBefore.\n\n')).toBe(true);
    expect(text).not.toContain('old table');
    expect(text).toContain('| pub/sub ≥ 0.8 × raw | 0.50× | FAIL |');
    expect(text.endsWith(`${END}\n\n## Analysis\n\nKept.\n`)).toBe(true);
  });
});
