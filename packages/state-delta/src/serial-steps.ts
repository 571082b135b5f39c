import { isPromiseLike } from '@sf/core/plugin';

/**
 * Runs steps one at a time, in the order asked. A step asked for while none is pending runs at
 * once, and a synchronous result comes back as it is (so a subscriber can take its next message
 * without waiting a turn); otherwise it runs once the last pending step settled. A step that
 * throws or rejects goes to `failed` and gives `undefined`: `run` never throws or rejects.
 */
export class SerialSteps {
  readonly #failed: (error: unknown) => void;
  #last: Promise<unknown> = Promise.resolve();
  #pending = 0;
  readonly #settled = (): void => {
    this.#pending -= 1;
  };

  constructor(failed: (error: unknown) => void) {
    this.#failed = failed;
  }

  /** Runs `step` now or after the pending ones; a promise only when it had to wait or did not finish synchronously. */
  run<T>(step: () => T | Promise<T>): T | undefined | Promise<T | undefined> {
    if (this.#pending > 0) return this.#track(this.#last.then(step));
    let result: T | Promise<T>;
    try {
      result = step();
    } catch (error) {
      this.#failed(error);
      return undefined;
    }
    return isPromiseLike(result) ? this.#track(Promise.resolve(result)) : result;
  }

  /** Makes `running` the last pending step. */
  #track<T>(running: Promise<T>): Promise<T | undefined> {
    this.#pending += 1;
    const settled = running.catch((error: unknown) => {
      this.#failed(error);
      return undefined;
    });
    // Registered before any caller's await, so the count drops before they go on.
    settled.then(this.#settled);
    this.#last = settled;
    return settled;
  }
}
