/** How long a repeated warning (a refused peer that keeps reconnecting) stays quiet after it was logged. */
export const REPEAT_QUIET_MS = 60_000;

/** How many keys a {@link LogThrottle} remembers; past this the oldest is forgotten. */
export const MAX_THROTTLE_KEYS = 1000;

/** How often a {@link LogThrottle} lets a warning through. */
export interface LogThrottleOptions {
  /** Length of one window in ms (default {@link REPEAT_QUIET_MS}). */
  readonly windowMs?: number;
  /** Lines per key per window (default 1). */
  readonly perWindow?: number;
  /** Keys remembered at most (default {@link MAX_THROTTLE_KEYS}); the oldest is dropped first. */
  readonly maxKeys?: number;
}

/** What {@link LogThrottle.pass} decided: log now (with how many like it were held back since the last line), or not. */
export type ThrottleVerdict = { readonly log: true; readonly heldBack: number } | { readonly log: false };

interface Entry {
  since: number;
  lines: number;
  heldBack: number;
}

/**
 * Lets warnings about the same thing (a key: an endpoint and a reason, a refused client key)
 * through at most `perWindow` times per window; the next line after a quiet spell carries how
 * many were held back. A peer decides how many keys there are (one per client key it makes up),
 * so the map is bounded: past `maxKeys` the key whose window started first is forgotten.
 * Callers count every event themselves; the throttle only decides what reaches the log.
 */
export class LogThrottle {
  readonly #entries = new Map<string, Entry>();
  readonly #windowMs: number;
  readonly #perWindow: number;
  readonly #maxKeys: number;

  constructor(options: LogThrottleOptions = {}) {
    this.#windowMs = options.windowMs ?? REPEAT_QUIET_MS;
    this.#perWindow = options.perWindow ?? 1;
    this.#maxKeys = options.maxKeys ?? MAX_THROTTLE_KEYS;
  }

  /** Keys remembered now (at most `maxKeys`). */
  get size(): number {
    return this.#entries.size;
  }

  /** Whether to log about `key` now; if so, also how many times it was held back since its last line. */
  pass(key: string, now: number = Date.now()): ThrottleVerdict {
    let entry = this.#entries.get(key);
    if (entry === undefined || now - entry.since >= this.#windowMs) {
      const heldBack = entry?.heldBack ?? 0;
      // Re-inserted, so the map's order stays "oldest window first" for eviction.
      this.#entries.delete(key);
      entry = { since: now, lines: 0, heldBack };
      this.#entries.set(key, entry);
      if (this.#entries.size > this.#maxKeys) this.#entries.delete(this.#entries.keys().next().value as string);
    }
    if (entry.lines >= this.#perWindow) {
      entry.heldBack += 1;
      return { log: false };
    }
    entry.lines += 1;
    const heldBack = entry.heldBack;
    entry.heldBack = 0;
    return { log: true, heldBack };
  }
}

/** `message` with ` (N more like this were not logged)` when a throttle held N back. */
export function withHeldBack(message: string, verdict: ThrottleVerdict): string {
  return verdict.log && verdict.heldBack > 0 ? `${message} (${verdict.heldBack} more like this were not logged)` : message;
}
