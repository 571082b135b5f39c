import type { ResolvedModel } from '../models/resolved-model.js';
import { spanErrorOf } from '../codec/error-reply.js';
import type { TraceSpan } from '../tracing/tracer.js';
import { type InboundScope, spanSubject } from './inbound.js';
import { newWorkflowId, type ToSend, workflowToSend } from './to-send.js';
import { isPromiseLike } from '../util/is-promise-like.js';

/** A state's `on_update(args, to_send, states, config)`. */
type OnUpdate = (value: Record<string, unknown>, toSend: ToSend, states: Record<string, unknown>, config: unknown) => unknown;

/**
 * Builds the `update(value, workflowId)` of one in-state: the value becomes `states[name]`, then
 * the model's optional `on_update` runs (counted as in flight, so shutdown waits for it; its
 * errors are logged, never thrown back into the transport). It returns a promise only while an
 * `on_update` is still running, so a transport can go on at once otherwise. With tracing on, each
 * value applied gets a span, child of the `traceparent` it was published under.
 */
export function createStateUpdater(
  model: ResolvedModel,
  scope: InboundScope,
): (value: Record<string, unknown>, workflowId: string | null, trace?: string) => void | Promise<void> {
  const { outputs, states, config, logger, inflight, tracer } = scope;
  const subject = tracer === undefined ? undefined : spanSubject(model, scope);
  const onUpdate = typeof model.creation.on_update === 'function' ? (model.creation.on_update as OnUpdate) : undefined;
  /** Logs a throwing `on_update`; ends `span` (tracing on) as failed. */
  const threw = (id: string, error: unknown, span: TraceSpan | undefined): void => {
    span?.end(spanErrorOf(error, 'service', id));
    logger.warn({ workflow_id: id, from: model.path, err: error }, 'on_update threw');
  };
  const finishLater = async (pending: PromiseLike<unknown>, id: string, span: TraceSpan | undefined): Promise<void> => {
    try {
      await pending;
      span?.end();
    } catch (error) {
      threw(id, error, span);
    } finally {
      inflight.leave();
    }
  };
  return (value, workflowId, trace) => {
    states[model.name] = value;
    // With tracing on, each value is applied under an `apply` span.
    const span = tracer?.start('apply', subject!, workflowId, trace);
    if (onUpdate === undefined) {
      span?.end();
      return;
    }
    inflight.enter();
    const id = workflowId ?? newWorkflowId();
    let result: unknown;
    try {
      result = onUpdate(value, workflowToSend(outputs, id, span), states, config);
    } catch (error) {
      threw(id, error, span);
      inflight.leave();
      return;
    }
    if (isPromiseLike(result)) return finishLater(result, id, span);
    span?.end();
    inflight.leave();
  };
}
