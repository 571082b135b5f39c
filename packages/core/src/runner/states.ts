import type { ResolvedModel } from '../models/resolved-model.js';
import type { InboundScope } from './inbound.js';
import { newWorkflowId, type ToSend, workflowToSend } from './to-send.js';
import { isPromiseLike } from '../util/is-promise-like.js';

/** A state's `on_update(args, to_send, states, config)`. */
type OnUpdate = (value: Record<string, unknown>, toSend: ToSend, states: Record<string, unknown>, config: unknown) => unknown;

/**
 * Builds the `update(value, workflowId)` of one in-state: the value becomes `states[name]`, then
 * the model's optional `on_update` runs (counted as in flight, so shutdown waits for it; its
 * errors are logged, never thrown back into the transport). It returns a promise only while an
 * `on_update` is still running, so a transport can go on at once otherwise.
 */
export function createStateUpdater(
  model: ResolvedModel,
  scope: InboundScope,
): (value: Record<string, unknown>, workflowId: string | null) => void | Promise<void> {
  const { outputs, states, config, logger, inflight } = scope;
  const onUpdate = typeof model.creation.on_update === 'function' ? (model.creation.on_update as OnUpdate) : undefined;
  const threw = (id: string, error: unknown): void => {
    logger.warn({ workflow_id: id, from: model.path, err: error }, 'on_update threw');
  };
  const finishLater = async (pending: PromiseLike<unknown>, id: string): Promise<void> => {
    try {
      await pending;
    } catch (error) {
      threw(id, error);
    } finally {
      inflight.leave();
    }
  };
  return (value, workflowId) => {
    states[model.name] = value;
    if (onUpdate === undefined) return;
    inflight.enter();
    const id = workflowId ?? newWorkflowId();
    let result: unknown;
    try {
      result = onUpdate(value, workflowToSend(outputs, id), states, config);
    } catch (error) {
      threw(id, error);
      inflight.leave();
      return;
    }
    if (isPromiseLike(result)) return finishLater(result, id);
    inflight.leave();
  };
}
