import { decodeRequest, type RequestEnvelope } from '../codec/envelope.js';
import type { EndpointContext } from './contract.js';

/**
 * Reads one whole-state publication (`{"args": <state>, "workflow_id": …}`, topic prefix already
 * removed) and checks the state against the model. Gives `undefined` for one that does not decode
 * (`undecodable`) or fails the model (`bad_state`), after reporting it through `context.reject`
 * with `details` (e.g. `{ address }`); `label` names the endpoint in the message (`full_update_in`).
 */
export function readState(context: EndpointContext, payload: Uint8Array, label: string, details?: object): RequestEnvelope | undefined {
  let envelope: RequestEnvelope;
  try {
    envelope = decodeRequest(payload, undefined, context.limits);
  } catch (error) {
    context.reject('undecodable', `${label} dropped a publication it cannot decode`, { err: error, ...details });
    return undefined;
  }
  const invalid = context.check(envelope.args);
  if (invalid === undefined) return envelope;
  context.reject('bad_state', `${label} dropped a publication that does not match the model`, {
    err: invalid,
    workflow_id: envelope.workflow_id,
    ...details,
  });
  return undefined;
}
