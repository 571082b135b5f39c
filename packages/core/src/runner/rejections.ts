import type { PluginLogger } from '../plugin/contract.js';

/** Rejected inbound messages so far: model path → reason → count. */
export type RejectedCounts = Record<string, Record<string, number>>;

/**
 * Counts the inbound messages a running service rejected (dropped, or answered with an error
 * reply), per endpoint and reason — `undecodable`, `bad_arguments`, a plugin's own reasons such as
 * `bad_state`. Each rejection is also logged once, where it happens; shutdown logs the totals.
 */
export class RejectCounter {
  readonly #counts = new Map<string, Map<string, number>>();
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
   * The `reject(reason, message, details)` of one endpoint's context: logs the rejection once at
   * warn (with `reason` and the details) and counts it.
   */
  rejecter(model: string, logger: PluginLogger): (reason: string, message: string, details?: object) => void {
    return (reason, message, details) => {
      this.count(model, reason);
      logger.warn({ reason, ...details }, message);
    };
  }
}
