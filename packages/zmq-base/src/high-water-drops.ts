import { type EndpointContext, LogThrottle } from '@sf/core/plugin';

/** ZeroMQ's high-water mark (messages queued per peer) when `send_high_water_mark` / `receive_high_water_mark` is absent. */
export const ZMQ_DEFAULT_HIGH_WATER_MARK = 1000;

/**
 * Counts the messages a publisher's socket (ZeroMQ `noDrop` set) refused because a subscriber's
 * queue was at `send_high_water_mark`: such a send fails with EAGAIN and the message goes to no
 * subscriber. Each refusal is counted; the first is logged at warn, then at most one line a minute
 * (with how many since), and `summary()` logs the total at close.
 */
export class HighWaterDrops {
  readonly #context: EndpointContext;
  readonly #label: string;
  readonly #address: string;
  readonly #mark: number;
  readonly #throttle = new LogThrottle();
  #count = 0;

  constructor(context: EndpointContext, label: string, address: string, mark: number) {
    this.#context = context;
    this.#label = label;
    this.#address = address;
    this.#mark = mark;
  }

  /** Messages refused so far. */
  get count(): number {
    return this.#count;
  }

  /** Takes a failed send's error: a refusal at the mark is counted (true); anything else is not (false). */
  readonly take = (error: unknown): boolean => {
    if ((error as { code?: unknown } | undefined)?.code !== 'EAGAIN') return false;
    this.#count += 1;
    const verdict = this.#throttle.pass('mark');
    if (verdict.log) {
      this.#context.logger.warn(
        { address: this.#address, send_high_water_mark: this.#mark, dropped: this.#count },
        `${this.#label} dropped a message: a subscriber's queue is full (send_high_water_mark ${this.#mark}); it went to no subscriber. ` +
          `Logged at most once a minute, counted until close`,
      );
    }
    return true;
  };

  /** Logs the total at warn when any message was refused. */
  summary(): void {
    if (this.#count === 0) return;
    this.#context.logger.warn(
      { address: this.#address, send_high_water_mark: this.#mark, dropped: this.#count },
      `${this.#label} dropped ${this.#count} message(s) in all ` +
        `because a subscriber's queue was at send_high_water_mark ${this.#mark} (0: no limit)`,
    );
  }
}
