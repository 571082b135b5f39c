/** The run's results as JSON files: `latest.json` and one named after the start time. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchReport } from '../results.js';

/** Writes `report` into `dir` (created if needed); returns the path of `latest.json`. */
export async function writeJsonReport(dir: string, report: BenchReport): Promise<string> {
  await mkdir(dir, { recursive: true });
  const text = `${JSON.stringify(report, (_key, value) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2)}\n`;
  const latest = join(dir, 'latest.json');
  await writeFile(latest, text);
  await writeFile(join(dir, `${report.mode}-${report.startedAt.replaceAll(':', '-')}.json`), text);
  return latest;
}
