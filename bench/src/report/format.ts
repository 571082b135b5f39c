/** Number formatting shared by the console and Markdown tables. */
import type { Target } from '../results.js';

const DECIMALS: Record<string, number> = { msgs: 0, 'msg/s': 0, 'calls/s': 0, 'MB/s': 1, µs: 1, ns: 0, ms: 0, MB: 1, '%': 1, '×': 2 };

/** `value` in `unit`, with thousands separators; `—` when missing. */
export function formatValue(value: number | null, unit: string): string {
  if (value === null || !Number.isFinite(value)) return '—';
  const decimals = DECIMALS[unit] ?? 2;
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** A ratio as `0.83×`; `—` when missing. */
export function formatRatio(value: number | null): string {
  return value === null || !Number.isFinite(value) ? '—' : `${value.toFixed(2)}×`;
}

/** `PASS`, `FAIL` or `n/a`. */
export function verdict(target: Target): string {
  return target.pass === null ? 'n/a' : target.pass ? 'PASS' : 'FAIL';
}
