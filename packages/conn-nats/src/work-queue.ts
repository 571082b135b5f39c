/** How long `drain()` waits for handlers still running before giving up on them. */
export const DRAIN_GRACE_MS = 1000;

/**
 * Runs `handle` on the items pushed, at most `concurrency` at once, starting them in the order
 * pushed (so with 1, strictly one after another). `drain()` stops taking items and waits for
 * the queued and running ones, at most {@link DRAIN_GRACE_MS}.
 */
export class WorkQueue<T> {
  readonly #handle: (item: T) => Promise<unknown>;
  readonly #concurrency: number;
  readonly #queued: T[] = [];
  #head = 0;
  #running = 0;
  #stopped = false;
  #idle: (() => void) | undefined;

  constructor(concurrency: number, handle: (item: T) => Promise<unknown>) {
    this.#concurrency = concurrency;
    this.#handle = handle;
  }

  push(item: T): void {
    if (this.#stopped) return;
    this.#queued.push(item);
    this.#next();
  }

  /** Takes no new item; resolves once everything taken is done, or after the grace period. */
  async drain(): Promise<void> {
    this.#stopped = true;
    if (this.#running === 0 && this.#head === this.#queued.length) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => {
        this.#idle = resolve;
      }),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, DRAIN_GRACE_MS);
      }),
    ]);
    clearTimeout(timer);
  }

  #next(): void {
    while (this.#running < this.#concurrency && this.#head < this.#queued.length) {
      const item = this.#queued[this.#head]!;
      this.#head += 1;
      if (this.#head === this.#queued.length) {
        this.#queued.length = 0;
        this.#head = 0;
      }
      this.#running += 1;
      void this.#handle(item).finally(() => {
        this.#running -= 1;
        this.#next();
        if (this.#running === 0 && this.#head === this.#queued.length) this.#idle?.();
      });
    }
  }
}
