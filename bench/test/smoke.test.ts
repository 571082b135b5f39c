import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { natsAvailability } from '@sf/conn-nats/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCHMARKS_MD } from '../src/paths.js';
import { liveProcesses } from '../src/processes.js';
import { SMOKE } from '../src/profile.js';
import { writeJsonReport } from '../src/report/json-report.js';
import { writeBenchmarksMarkdown } from '../src/report/markdown-report.js';
import type { BenchReport } from '../src/results.js';
import { runBench } from '../src/run-bench.js';

// The NATS case needs nats-server: without it, it is left out with a notice (a failure with SF_REQUIRE_NATS=1).
const { binary: natsServer } = natsAvailability();
const CASES = [
  'pubsub-throughput',
  'reqrep-latency',
  'reqrep-concurrency',
  'delta-state',
  'state-growth',
  'codec-cost',
  'startup',
  'scaling',
  ...(natsServer ? ['nats'] : []),
  'moleculer',
  'http',
];

/** Children of this process still alive (pgrep leaves itself out; exit 1 means none). */
async function childPids(): Promise<string[]> {
  try {
    const { stdout } = await promisify(execFile)('pgrep', ['-P', String(process.pid)]);
    return stdout.split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

let report: BenchReport;
let dir: string;
let committedBefore: string | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sf-bench-smoke-'));
  committedBefore = await readFile(BENCHMARKS_MD, 'utf8').catch(() => undefined);
  report = await runBench({ profile: SMOKE, only: CASES });
}, 150_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('pnpm bench --smoke', () => {
  it('runs every case without an error and leaves no process behind', async () => {
    expect(report.cases.map((c) => c.id)).toEqual(CASES);
    for (const result of report.cases) expect(result.error, `${result.id}: ${result.error}`).toBeUndefined();
    expect(liveProcesses()).toBe(0);
    expect(await childPids()).toEqual([]);
  });

  it('gives every case finite figures on both sides (raw is empty only where there is no raw counterpart, framework only in the raw-only busy and floor rows)', () => {
    const rawOnly = (metric: string): boolean => metric.startsWith('raw + ') || metric.startsWith('node:net floor: ');
    for (const result of report.cases) {
      expect(result.rows.length, result.id).toBeGreaterThan(0);
      for (const r of result.rows) {
        if (r.framework !== null || !rawOnly(r.metric))
          expect(Number.isFinite(r.framework), `${result.id}: ${r.metric} framework = ${r.framework}`).toBe(true);
        if (r.raw !== null) expect(Number.isFinite(r.raw), `${result.id}: ${r.metric} raw = ${r.raw}`).toBe(true);
      }
    }
    const busy = report.cases.flatMap((c) =>
      c.rows
        .filter((r) => r.framework === null && !r.metric.startsWith('node:net floor: '))
        .map((r) => [`${c.id}: ${r.metric}`, Number.isFinite(r.raw) && Number.isFinite(r.ratio)]),
    );
    expect(busy).toEqual([
      ['pubsub-throughput: raw + 2 µs busy per message, received', true],
      ['pubsub-throughput: raw + 4 µs busy per message, received', true],
    ]);
    // The node:net floor beside cases 2 and 9: its own p50/p99 (raw column), and both columns divided by it.
    const floor = report.cases.flatMap((c) =>
      c.rows
        .filter((r) => r.metric.includes('node:net floor'))
        .map((r) => [`${c.id}: ${r.metric}`, (r.framework === null || r.framework > 0) && (r.raw ?? 0) > 0]),
    );
    const floorRows = (id: string) => [
      [`${id}: p50 round trip ÷ node:net floor`, true],
      [`${id}: p99 round trip ÷ node:net floor`, true],
      [`${id}: node:net floor: p50 round trip (raw column)`, true],
      [`${id}: node:net floor: p99 round trip (raw column)`, true],
    ];
    expect(floor).toEqual([...floorRows('reqrep-latency'), ...floorRows('moleculer')]);
    const rawless = report.cases.flatMap((c) => c.rows.filter((r) => r.raw === null).map((r) => `${c.id}: ${r.metric}`));
    expect(rawless).toEqual([
      "pubsub-throughput: dropped at the publisher's mark, counted and logged by it (high-water marks 1000 send / 1000 receive)",
      'pubsub-throughput: framework with metrics on (sf run --metrics), received',
      'pubsub-throughput: framework with tracing on (sf run --otlp, sampling 1.0), received',
      'reqrep-latency: sequential calls, framework with tracing on (sf run --otlp, sampling 1.0)',
      'delta-state: updates written by to_send',
      'delta-state: on_update calls / updates in that span',
      'delta-state: reader CPU per update',
      'delta-state: writer CPU per update',
      'state-growth: 10 keys: reader updates/s',
      'state-growth: 2,000 keys: reader updates/s',
      'state-growth: 10 keys: reader RSS',
      'state-growth: 2,000 keys: reader RSS',
      'state-growth: 10 keys: reader CPU per update',
      'state-growth: 2,000 keys: reader CPU per update',
      'codec-cost: validate args (ajv)',
    ]);
    const targets = report.cases.flatMap((c) => c.targets);
    expect(targets.length).toBeGreaterThanOrEqual(3);
    for (const t of targets) expect(typeof t.pass, t.name).toBe('boolean');
  });

  it('writes the JSON and the Markdown to a temporary folder, not the committed BENCHMARKS.md', async () => {
    const json = await writeJsonReport(join(dir, 'json'), report);
    const parsed = JSON.parse(await readFile(json, 'utf8')) as BenchReport;
    expect(parsed.mode).toBe('smoke');
    expect(parsed.cases.map((c) => c.id)).toEqual(CASES);
    expect(parsed.machine.cpus).toBeGreaterThan(0);

    const markdown = join(dir, 'BENCHMARKS.md');
    await writeBenchmarksMarkdown(markdown, report);
    const text = await readFile(markdown, 'utf8');
    expect(text).toContain(`Node.js ${process.version}`);
    for (const result of report.cases) expect(text).toContain(`### ${result.title}`);
    expect(await readFile(BENCHMARKS_MD, 'utf8').catch(() => undefined)).toBe(committedBefore);
    if (committedBefore !== undefined) expect((await stat(BENCHMARKS_MD)).isFile()).toBe(true);
  });
});
