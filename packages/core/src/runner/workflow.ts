import { randomUUID } from 'node:crypto';
import type { Outputs } from './outputs.js';

/** A new workflow id, as `main` and `sigint_handler` start one. */
export function newWorkflowId(): string {
  return randomUUID();
}

/**
 * One handler call's workflow: its id and its `to_send`. Following the seed, the first message
 * it sends carries the id itself and the n-th after it `<id>_<n>` (second → `<id>_2`).
 */
export class WorkflowCall {
  /** The workflow id of the call. */
  readonly id: string;
  readonly #outputs: Outputs;
  #sent = 0;

  constructor(outputs: Outputs, id: string) {
    this.#outputs = outputs;
    this.id = id;
  }

  /** The `to_send(output_type, output_name, args)` handed to the handler. */
  readonly to_send = (type: string, name: string, args?: Record<string, unknown>): Promise<Record<string, unknown>> => {
    this.#sent += 1;
    const id = this.#sent === 1 ? this.id : `${this.id}_${this.#sent}`;
    return this.#outputs.send(type, name, args ?? {}, id);
  };
}
