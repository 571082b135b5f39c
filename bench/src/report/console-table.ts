/** The run's figures as plain-text tables for the terminal. */
import type { BenchReport } from '../results.js';
import { formatRatio, formatValue, verdict } from './format.js';

/** Renders every case (rows: metric, framework, raw, framework/raw) and the targets. */
export function consoleTables(report: BenchReport): string {
  const out: string[] = [];
  const { machine } = report;
  out.push(
    `sf bench (${report.mode}) — ${machine.cpus} CPUs (${machine.cpuModel}), Node.js ${machine.node}, load ${machine.loadBefore.toFixed(2)} → ${machine.loadAfter.toFixed(2)}, ${report.elapsedS.toFixed(0)} s`,
  );
  for (const result of report.cases) {
    out.push('', result.title);
    if (result.error) out.push(`  FAILED: ${result.error.split('\n')[0]}`);
    const lines = [
      ['metric', 'unit', 'framework', 'raw', 'fw/raw'],
      ...result.rows.map((r) => [r.metric, r.unit, formatValue(r.framework, r.unit), formatValue(r.raw, r.unit), formatRatio(r.ratio)]),
    ];
    if (result.rows.length > 0) out.push(...alignColumns(lines).map((line) => `  ${line}`));
    for (const t of result.targets) out.push(`  target: ${t.name}: ${formatRatio(t.value)} → ${verdict(t)}`);
  }
  return out.join('\n');
}

function alignColumns(lines: string[][]): string[] {
  const widths = lines[0]!.map((_, col) => Math.max(...lines.map((line) => line[col]!.length)));
  return lines.map((line) => line.map((cell, col) => (col < 2 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join('  '));
}
