/** The shape of a benchmark run's results (also the JSON written to bench-results/). */
import { ratio } from './stats.js';

/** One measured figure, framework side and raw side. */
export interface Row {
  /** What is measured, e.g. `messages/s` or `p50 latency`. */
  metric: string;
  /** Unit of the figures. */
  unit: string;
  /** The framework's figure; null when not measured. */
  framework: number | null;
  /** The raw ZeroMQ figure; null when there is no raw counterpart. */
  raw: number | null;
  /** framework / raw, or null. */
  ratio: number | null;
}

/** A pass/fail target checked on the run's own figures. */
export interface Target {
  /** What the target says, e.g. `pub/sub throughput ≥ 0.8 × raw`. */
  name: string;
  /** The measured ratio. */
  value: number | null;
  /** The bound it is compared with. */
  limit: number;
  /** Whether `value` must be at least (`>=`) or at most (`<=`) `limit`. */
  comparison: '>=' | '<=';
  /** Whether it holds; null when it could not be computed. */
  pass: boolean | null;
}

/** The results of one case. */
export interface CaseResult {
  /** Short id, e.g. `pubsub-throughput`. */
  id: string;
  /** Title for tables. */
  title: string;
  /** Measured figures. */
  rows: Row[];
  /** Targets checked in this case. */
  targets: Target[];
  /** How it was measured, what was skipped, what went wrong. */
  notes: string[];
  /** The error that stopped the case, if any. */
  error?: string;
  /** Wall time of the case, ms. */
  elapsedMs: number;
}

/** Where and how the run happened. */
export interface Machine {
  /** Logical CPUs. */
  cpus: number;
  /** CPU model name. */
  cpuModel: string;
  /** Node.js version. */
  node: string;
  /** `platform arch`. */
  platform: string;
  /** Total memory, MB. */
  memoryMb: number;
  /** 1-minute load average at the start and at the end. */
  loadBefore: number;
  /** 1-minute load average at the end. */
  loadAfter: number;
}

/** A whole run. */
export interface BenchReport {
  /** `full` (`pnpm bench`) or `smoke` (tiny counts, in the tests). */
  mode: 'full' | 'smoke';
  /** ISO start time. */
  startedAt: string;
  /** Wall time of the run, s. */
  elapsedS: number;
  /** The machine. */
  machine: Machine;
  /** Every case, in order. */
  cases: CaseResult[];
}

/** A row with its ratio computed. */
export function row(metric: string, unit: string, framework: number | null, raw: number | null): Row {
  return { metric, unit, framework, raw, ratio: ratio(framework, raw) };
}

/** A target checked on `value`. */
export function target(name: string, value: number | null, comparison: '>=' | '<=', limit: number): Target {
  const known = value !== null && Number.isFinite(value);
  return {
    name,
    value: known ? value : null,
    limit,
    comparison,
    pass: known ? (comparison === '>=' ? value >= limit : value <= limit) : null,
  };
}
