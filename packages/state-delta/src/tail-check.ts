/**
 * Notices when publications stop after some arrived. An update lost at the end of a burst leaves no
 * gap for the reader to see (no later publication shows it), so once per quiet spell after activity
 * `check` runs, and the reader asks for a snapshot. Counting a publication is one increment; the
 * timer ticks every `intervalMs` (0: never), so `check` runs 1–2 intervals after the last one.
 */
export class TailCheck {
  readonly #intervalMs: number;
  readonly #check: () => void;
  #received = 0;
  #seen = 0;
  #unchecked = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(intervalMs: number, check: () => void) {
    this.#intervalMs = intervalMs;
    this.#check = check;
  }

  /** Starts ticking (does nothing with an interval of 0, or when started). */
  start(): void {
    if (this.#intervalMs === 0 || this.#timer !== undefined) return;
    this.#timer = setInterval(() => this.#tick(), this.#intervalMs);
    this.#timer.unref();
  }

  /** One publication arrived. */
  received(): void {
    this.#received += 1;
  }

  /** Stops ticking; safe twice. */
  stop(): void {
    clearInterval(this.#timer);
  }

  #tick(): void {
    if (this.#received !== this.#seen) {
      this.#seen = this.#received;
      this.#unchecked = true;
    } else if (this.#unchecked) {
      this.#unchecked = false;
      this.#check();
    }
  }
}
