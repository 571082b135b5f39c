/** How long a repeated warning (a refused peer that keeps reconnecting) stays quiet after it was logged. */
export const REPEAT_QUIET_MS = 60_000;

/**
 * Lets a warning about the same thing through once per {@link REPEAT_QUIET_MS}: a refused peer
 * retries every reconnect interval, and one line a minute (with how many were not logged) says it all.
 */
export class LogThrottle {
  readonly #last = new Map<string, { at: number; quiet: number }>();
  readonly #quietMs: number;

  constructor(quietMs: number = REPEAT_QUIET_MS) {
    this.#quietMs = quietMs;
  }

  /** Whether to log about `key` now; if so, also how many times it was held back since the last line. */
  pass(key: string, now: number = Date.now()): { log: true; heldBack: number } | { log: false } {
    const last = this.#last.get(key);
    if (last !== undefined && now - last.at < this.#quietMs) {
      last.quiet += 1;
      return { log: false };
    }
    this.#last.set(key, { at: now, quiet: 0 });
    return { log: true, heldBack: last?.quiet ?? 0 };
  }
}
