import { encodeErrorReply } from '../codec/error-reply.js';
import { decodeRequest, type RequestEnvelope } from '../codec/envelope.js';
import type { EndpointContext } from './contract.js';

/**
 * Answers one request frame on a replyer a plugin runs itself (e.g. a state's snapshot replyer):
 * decodes it and returns what `answer` builds from the envelope. A frame that does not decode is
 * rejected through `context.reject` (`undecodable`) and an `answer` that throws is logged at warn
 * under the workflow id; both get an error reply safe for the peer (see `encodeErrorReply`).
 * `label` names the replyer in those log lines (`snapshot replyer`), `details` (e.g. `{ address }`) go with them.
 */
export function answerRequest(
  context: EndpointContext,
  frame: Uint8Array,
  answer: (request: RequestEnvelope) => Uint8Array,
  label: string,
  details?: object,
): Uint8Array {
  let request: RequestEnvelope;
  try {
    request = decodeRequest(frame, undefined, context.limits);
  } catch (error) {
    context.reject('undecodable', `${label} got a frame that is not a request`, { err: error, ...details });
    return encodeErrorReply(null, error, 'request');
  }
  try {
    return answer(request);
  } catch (error) {
    context.logger.warn({ workflow_id: request.workflow_id, err: error, ...details }, `${label} could not answer a request`);
    return encodeErrorReply(request.workflow_id, error, 'service');
  }
}
