import type { EndpointContext } from '@sf/core/plugin';

/**
 * Applies an in state's new values one at a time, in order, through `context.update`. Publications
 * are counted when they arrive, so a snapshot requested before a publication can tell it is older
 * and be dropped instead of overwriting the newer value.
 */
export class UpdateQueue {
  readonly #context: EndpointContext;
  #tail: Promise<void> = Promise.resolve();
  #publications = 0;
  #stopped = false;

  constructor(context: EndpointContext) {
    this.#context = context;
  }

  /** How many publications have arrived so far. */
  get publications(): number {
    return this.#publications;
  }

  /** True once `stop()` was called: nothing more is applied. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Stops applying values (pause and close); a value being applied finishes. */
  stop(): void {
    this.#stopped = true;
  }

  /** Counts a checked publication at once and applies it after the values queued before it; `trace`: its traceparent. */
  publication(value: Record<string, unknown>, workflowId: string | null, trace?: string): Promise<void> {
    this.#publications += 1;
    return this.#enqueue(async () => {
      if (!this.#stopped) await this.#apply(value, workflowId, trace);
    });
  }

  /**
   * Applies a checked snapshot unless a publication arrived after `since` (the count read when the
   * snapshot was requested): that publication is newer. Resolves to whether it was applied.
   */
  snapshot(value: Record<string, unknown>, workflowId: string | null, since: number): Promise<boolean> {
    let applied = false;
    return this.#enqueue(async () => {
      if (this.#stopped || this.#publications !== since) return;
      await this.#apply(value, workflowId);
      applied = true;
    }).then(() => applied);
  }

  #enqueue(task: () => Promise<void>): Promise<void> {
    const result = this.#tail.then(task);
    this.#tail = result.catch(() => {});
    return result;
  }

  async #apply(value: Record<string, unknown>, workflowId: string | null, trace?: string): Promise<void> {
    try {
      await this.#context.update(value, workflowId, trace);
    } catch (error) {
      this.#context.logger.error({ err: error, workflow_id: workflowId }, 'full_update_in failed to apply a new value');
    }
  }
}
