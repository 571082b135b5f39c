import { randomUUID } from 'node:crypto';
import type { TraceSpan } from '../tracing/tracer.js';
import type { Outputs } from './outputs.js';

/** A new workflow id, as `main` and `sigint_handler` start one. */
export function newWorkflowId(): string {
  return randomUUID();
}

/** The `to_send(output_type, output_name, args)` handed to a handler. */
export type ToSend = (type: string, name: string, args?: Record<string, unknown>) => Promise<Record<string, unknown>>;

/**
 * The `to_send` of one handler call in workflow `id`. Following the seed (SPEC §5), the first
 * message it sends carries the id itself and the n-th after it `<id>_<n>` (second → `<id>_1`,
 * third → `<id>_2`). One closure per call (faster than a class instance holding an arrow
 * function: docs/performance.md), and no pooling, so a `to_send` kept after its handler returned still sends
 * with its own id. `span` (tracing on): the call's span, parent of each send's span.
 */
export function workflowToSend(outputs: Outputs, id: string, span?: TraceSpan): ToSend {
  let sent = 0;
  return (type, name, args) => {
    const workflowId = sent === 0 ? id : `${id}_${sent}`;
    sent += 1;
    return outputs.send(type, name, args ?? {}, workflowId, span);
  };
}
