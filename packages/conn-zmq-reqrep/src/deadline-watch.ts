/** Something a {@link DeadlineWatch} keeps the deadline of: one try of one request. */
export interface Watched {
  /** When it expires (`performance.now()` time); set by `add`. */
  deadline: number;
  /** Set by `done`: it ended in time (or otherwise) and must not expire. */
  done: boolean;
}

/** Timers fire up to about a millisecond early (libuv counts whole milliseconds): that close counts as due. */
const EARLY_MS = 1;

/**
 * Expires what it watches `timeoutMs` after `add`, unless `done` came first, with one timer for
 * all of them instead of one per request: every deadline is `timeoutMs` after its `add`, so they
 * fall due in the order they were added and the timer only ever waits for the oldest. The timer
 * keeps the process alive only while something is watched.
 */
export class DeadlineWatch<T extends Watched> {
  readonly #timeoutMs: number;
  readonly #expire: (watched: T) => void;
  #queue: T[] = [];
  #head = 0;
  #timer: NodeJS.Timeout | undefined;
  readonly #fire = (): void => this.#expireDue();

  /** Calls `expire` for each watched thing still not done `timeoutMs` after its `add`. */
  constructor(timeoutMs: number, expire: (watched: T) => void) {
    this.#timeoutMs = timeoutMs;
    this.#expire = expire;
  }

  /** Starts watching `watched` (its deadline is now + `timeoutMs`). */
  add(watched: T): void {
    watched.deadline = performance.now() + this.#timeoutMs;
    watched.done = false;
    if (this.#head === this.#queue.length) {
      this.#queue.length = 0;
      this.#head = 0;
      if (this.#timer === undefined) this.#timer = setTimeout(this.#fire, this.#timeoutMs);
      else this.#timer.ref();
    }
    this.#queue.push(watched);
  }

  /** Stops watching `watched`; it will not expire. */
  done(watched: T): void {
    watched.done = true;
    this.#dropDone();
  }

  /** Stops watching everything and the timer. */
  clear(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#queue = [];
    this.#head = 0;
  }

  /** Leaves the oldest not-done entry at the head; once nothing is left, lets the process exit despite the timer. */
  #dropDone(): void {
    const queue = this.#queue;
    while (this.#head < queue.length && queue[this.#head]!.done) this.#head += 1;
    if (this.#head === queue.length) this.#timer?.unref();
    else this.#compact();
  }

  /** Forgets the entries before the head once they are most of the queue (calls in flight all along never empty it). */
  #compact(): void {
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
  }

  #expireDue(): void {
    this.#timer = undefined;
    const now = performance.now();
    const queue = this.#queue;
    while (this.#head < queue.length) {
      const watched = queue[this.#head]!;
      if (!watched.done) {
        if (watched.deadline - now > EARLY_MS) break;
        watched.done = true;
        this.#expire(watched);
      }
      this.#head += 1;
    }
    this.#compact();
    if (this.#head < this.#queue.length) this.#timer = setTimeout(this.#fire, Math.max(1, this.#queue[this.#head]!.deadline - now));
  }
}
