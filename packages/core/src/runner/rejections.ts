import type { PluginLogger } from '../plugin/contract.js';
import { LogThrottle, withHeldBack } from './log-throttle.js';

/** Window of the rejection log throttle: per endpoint and reason, at most {@link REJECT_LOG_LINES} lines per window. */
export const REJECT_LOG_WINDOW_MS = 10_000;

/** Warn lines per endpoint and reason per {@link REJECT_LOG_WINDOW_MS}; the rest are counted, not logged. */
export const REJECT_LOG_LINES = 5;

/** Rejected inbound messages so far: model path → reason → count. */
export type RejectedCounts = Record<string, Record<string, number>>;

/**
 * Counts the inbound messages a running service rejected (dropped, or answered with an error
 * reply), per endpoint and reason — `undecodable`, `bad_arguments`, a plugin's own reasons such as
 * `bad_state`. Every rejection is counted; the warn lines are throttled per endpoint and reason
 * ({@link REJECT_LOG_LINES} per {@link REJECT_LOG_WINDOW_MS}, then one line saying how many were
 * not logged), so a peer sending bad messages in a loop cannot flood the log. Shutdown logs the totals.
 */
export class RejectCounter {
  readonly #counts = new Map<string, Map<string, number>>();
  readonly #throttle = new LogThrottle({ windowMs: REJECT_LOG_WINDOW_MS, perWindow: REJECT_LOG_LINES });
  #total = 0;

  /** Counts one message of model `model` rejected for `reason`. */
  count(model: string, reason: string): void {
    let reasons = this.#counts.get(model);
    if (reasons === undefined) {
      reasons = new Map();
      this.#counts.set(model, reasons);
    }
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    this.#total += 1;
  }

  /** How many messages were rejected, over every endpoint and reason. */
  get total(): number {
    return this.#total;
  }

  /** The counts as a plain object (a copy), e.g. `{ 'connection_models.in.echo': { undecodable: 2 } }`. */
  counts(): RejectedCounts {
    const counts: RejectedCounts = {};
    for (const [model, reasons] of this.#counts) counts[model] = Object.fromEntries(reasons);
    return counts;
  }

  /**
   * Logs `message` at warn with `fields`, unless model `model` logged `reason` too often lately
   * (see the class); does not count. `reason` may be one no rejection uses (a handler that threw).
   */
  warn(logger: PluginLogger, model: string, reason: string, fields: object, message: string): void {
    const verdict = this.#throttle.pass(`${model}\u0000${reason}`);
    if (verdict.log)
      logger.warn(verdict.heldBack > 0 ? { ...fields, not_logged: verdict.heldBack } : fields, withHeldBack(message, verdict));
  }

  /**
   * The `reject(reason, message, details)` of one endpoint's context: counts the rejection and
   * logs it at warn (with `reason` and the details), throttled per reason.
   */
  rejecter(model: string, logger: PluginLogger): (reason: string, message: string, details?: object) => void {
    return (reason, message, details) => {
      this.count(model, reason);
      this.warn(logger, model, reason, { reason, ...details }, message);
    };
  }
}
