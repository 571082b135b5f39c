/**
 * Edit distance and "did you mean" suggestions, shared by every error that names an unknown key
 * or type (registry, model checker, service loader).
 */

/**
 * Optimal-string-alignment distance between two strings: insertions, deletions, substitutions
 * and swaps of two neighbouring characters each cost 1.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  // Three rolling rows: the swap rule looks two rows back.
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, beforePrevious[j - 2]! + 1);
      }
      current.push(best);
    }
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length]!;
}

/** Options of {@link nearest}. */
export interface NearestOptions {
  /** Largest distance still worth suggesting; defaults to a third of the input's length (at least 1). */
  maxDistance?: number;
}

/**
 * The candidate closest to `input` (compared case-insensitively), or `undefined` when none is
 * close enough to be a likely typo. Ties go to the earlier candidate.
 */
export function nearest(input: string, candidates: Iterable<string>, options: NearestOptions = {}): string | undefined {
  const limit = options.maxDistance ?? Math.max(1, Math.floor(input.length / 3));
  const needle = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    if (candidate === input) continue;
    const distance = editDistance(needle, candidate.toLowerCase());
    if (distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `" Did you mean 'x'?"`-style sentence for a hint, or `''` when nothing is close. */
export function didYouMean(input: string, candidates: Iterable<string>, options?: NearestOptions): string {
  const match = nearest(input, candidates, options);
  return match === undefined ? '' : `Did you mean '${match}'?`;
}
