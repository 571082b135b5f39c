/** How long `drain()` waits for handlers still running before giving up on them. */
export const DRAIN_GRACE_MS = 1000;

/** How much a {@link WorkQueue} holds waiting (not counting the items running). */
export interface QueueLimit<T> {
  /** Items waiting at most. */
  readonly items: number;
  /** Bytes waiting at most, as `size` counts them. */
  readonly bytes: number;
  /** The size of one item in bytes. */
  readonly size: (item: T) => number;
}

/**
 * Runs `handle` on the items pushed, at most `concurrency` at once, starting them in the order
 * pushed (so with 1, strictly one after another). With a `limit`, an item that would make the
 * waiting ones more than `limit.items` or `limit.bytes` is refused (`push` returns false): the
 * caller counts and logs it. `drain()` stops taking items and waits for the queued and running
 * ones, at most {@link DRAIN_GRACE_MS}.
 */
export class WorkQueue<T> {
  readonly #handle: (item: T) => Promise<unknown>;
  readonly #concurrency: number;
  readonly #limit: QueueLimit<T> | undefined;
  readonly #queued: T[] = [];
  #queuedBytes = 0;
  #head = 0;
  #running = 0;
  #stopped = false;
  #idle: (() => void) | undefined;

  constructor(concurrency: number, handle: (item: T) => Promise<unknown>, limit?: QueueLimit<T>) {
    this.#concurrency = concurrency;
    this.#handle = handle;
    this.#limit = limit;
  }

  /** Items waiting (not running). */
  get waiting(): number {
    return this.#queued.length - this.#head;
  }

  /** Bytes waiting (0 without a limit). */
  get waitingBytes(): number {
    return this.#queuedBytes;
  }

  /** Queues `item`; false when it was refused because the queue is full (true after `drain()`: dropped quietly). */
  push(item: T): boolean {
    if (this.#stopped) return true;
    const limit = this.#limit;
    if (limit !== undefined) {
      const size = limit.size(item);
      const busy = this.#running >= this.#concurrency;
      if (busy && (this.waiting >= limit.items || this.#queuedBytes + size > limit.bytes)) return false;
      this.#queuedBytes += size;
    }
    this.#queued.push(item);
    this.#next();
    return true;
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
      if (this.#limit !== undefined) this.#queuedBytes -= this.#limit.size(item);
      if (this.#head === this.#queued.length) {
        this.#queued.length = 0;
        this.#head = 0;
      } else if (this.#head >= 1024 && this.#head * 2 >= this.#queued.length) {
        // Under steady load the queue never empties: drop the items already taken, so they can be collected.
        this.#queued.splice(0, this.#head);
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
