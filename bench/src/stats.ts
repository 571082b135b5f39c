/** Small statistics over samples. */

/** The `p`-th percentile (0-100) of `samples`, nearest-rank; NaN without samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** The median of `samples`. */
export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

/** Events per second for `count` events over `ms` milliseconds; NaN when either is not positive. */
export function perSecond(count: number, ms: number): number {
  return count > 0 && ms > 0 ? (count / ms) * 1000 : Number.NaN;
}

/** The item whose `key` is the median of all (the lower one of an even count); NaN keys sort last. */
export function medianBy<T>(items: readonly T[], key: (item: T) => number): T {
  if (items.length === 0) throw new Error('medianBy of nothing');
  const sorted = [...items].sort((a, b) => (Number.isNaN(key(a)) ? 1 : Number.isNaN(key(b)) ? -1 : key(a) - key(b)));
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** `value / reference`, or null when either is missing or not finite. */
export function ratio(value: number | null, reference: number | null): number | null {
  if (value === null || reference === null || !Number.isFinite(value) || !Number.isFinite(reference) || reference === 0) return null;
  return value / reference;
}
