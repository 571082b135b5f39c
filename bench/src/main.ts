/**
 * `pnpm bench`: runs every case, prints the tables, writes bench-results/latest.json and refreshes
 * BENCHMARKS.md. Flags: `--smoke` (tiny counts), `--only id,id`, `--json-dir DIR`,
 * `--markdown FILE`, `--no-markdown`.
 */
import { BENCHMARKS_MD, RESULTS_DIR } from './paths.js';
import { FULL, SMOKE } from './profile.js';
import { consoleTables } from './report/console-table.js';
import { writeJsonReport } from './report/json-report.js';
import { writeBenchmarksMarkdown } from './report/markdown-report.js';
import { runBench } from './run-bench.js';

const argv = process.argv.slice(2).filter((arg) => arg !== '--');
const flag = (name: string): boolean => argv.includes(name);
const value = (name: string): string | undefined => {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
};

const report = await runBench({
  profile: flag('--smoke') ? SMOKE : FULL,
  only: value('--only')?.split(','),
  log: (line) => console.log(`· ${line}`),
});
console.log(`\n${consoleTables(report)}\n`);
const json = await writeJsonReport(value('--json-dir') ?? RESULTS_DIR, report);
console.log(`JSON: ${json}`);
if (!flag('--no-markdown')) {
  const markdown = value('--markdown') ?? BENCHMARKS_MD;
  await writeBenchmarksMarkdown(markdown, report);
  console.log(`Markdown: ${markdown}`);
}
process.exit(report.cases.some((c) => c.error !== undefined) ? 1 : 0);
