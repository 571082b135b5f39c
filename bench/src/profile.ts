/** How much each case does: the full run of `pnpm bench`, and the smoke run of the tests. */

/** Counts and waits of one run. */
export interface BenchProfile {
  /** `full` or `smoke`. */
  mode: 'full' | 'smoke';
  /** Runs per side of the cases with a target (1, 2, 4); the median run is reported. */
  repeats: number;
  /** Publications per pub/sub throughput run. */
  pubsubCount: number;
  /** A subscriber reports once nothing arrived for this long, ms. */
  idleMs: number;
  /** Publishers wait this long after binding so subscribers join, s. */
  joinWaitS: number;
  /** Sequential requests of the latency case. */
  latencyCount: number;
  /** Warm-up requests (not measured) before each request/reply run. */
  latencyWarmup: number;
  /** Requests per caller in the concurrency case. */
  concurrencyCount: number;
  /** Publications per payload size (bytes → count). */
  sizes: ReadonlyArray<readonly [bytes: number, count: number]>;
  /** Subscriber counts of the fan-out latency case. */
  fanOut: readonly number[];
  /** Paced publications per fan-out run, and the pace, ms. */
  fanOutCount: number;
  /** Pace of the fan-out publications, ms between two. */
  fanOutIntervalMs: number;
  /** Start-ups measured per side. */
  startupRuns: number;
  /** Services of the system started by `sf up` in the start-up case (an even number: replyers and relays in pairs). */
  systemServices: number;
  /** Start-ups of that system measured per side. */
  systemRuns: number;
  /** Loop iterations of the in-process codec case (after as many warm-up iterations / 10). */
  codecIterations: number;
  /** State updates of the delta state case. */
  deltaCount: number;
  /** State sizes (keys) of the "how it grows" case, each with its count of one-key updates. */
  growth: ReadonlyArray<readonly [keys: number, count: number]>;
  /** Longest wait for one process's result, ms. */
  resultTimeoutMs: number;
}

const KB = 1024;
const MB = 1024 * KB;

/** `pnpm bench`: counts that take a few seconds per run on a 2-core machine. */
export const FULL: BenchProfile = {
  mode: 'full',
  repeats: 3,
  pubsubCount: 100_000,
  idleMs: 1000,
  joinWaitS: 1,
  latencyCount: 5000,
  latencyWarmup: 500,
  concurrencyCount: 100,
  sizes: [
    [100, 100_000],
    [10 * KB, 20_000],
    [MB, 200],
  ],
  fanOut: [1, 4, 16],
  fanOutCount: 1000,
  fanOutIntervalMs: 2,
  startupRuns: 5,
  systemServices: 30,
  systemRuns: 3,
  codecIterations: 200_000,
  deltaCount: 20_000,
  growth: [
    [10, 20_000],
    [10_000, 20_000],
    [100_000, 20_000],
    [500_000, 20_000],
    [1_000_000, 20_000],
  ],
  resultTimeoutMs: 120_000,
};

/** The tests' smoke run: every case and code path, tiny counts (fan-out up to 2 subscribers). */
export const SMOKE: BenchProfile = {
  mode: 'smoke',
  repeats: 1,
  pubsubCount: 300,
  idleMs: 300,
  joinWaitS: 0.5,
  latencyCount: 30,
  latencyWarmup: 5,
  concurrencyCount: 3,
  sizes: [
    [100, 200],
    [10 * KB, 50],
    [MB, 3],
  ],
  fanOut: [1, 2],
  fanOutCount: 30,
  fanOutIntervalMs: 2,
  startupRuns: 1,
  systemServices: 4,
  systemRuns: 1,
  codecIterations: 2000,
  deltaCount: 200,
  growth: [
    [10, 200],
    [2000, 200],
  ],
  resultTimeoutMs: 30_000,
};
