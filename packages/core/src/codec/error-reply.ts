/**
 * Error replies written for a remote peer (docs/errors.md, "Error replies"). A peer learns the
 * error type, a stable code and a message meant for it, never local paths, stack traces or the
 * text of an exception: the full error belongs in the service's log, under the workflow id.
 */
import { HandlerError, isPublicError, RemoteError, SfError } from '../errors.js';
import { clipText } from '../util/quote-text.js';
import { encodeReply, type ReplyError } from './envelope.js';

/** Characters of an error reply's message at most: its parts quote peer data cut short, and this bounds the whole. */
export const MAX_REPLY_MESSAGE = 1000;

/**
 * Whose fault an error reply reports. `'request'`: the peer's frame did not decode or its args
 * broke the model, so the framework's DecodeError / ValidationError describes the peer's own
 * message (what, argument path, hint; no service path). `'service'`: anything that failed on this
 * side (a handler that threw or returned bad return arguments, a plugin's own failure).
 */
export type ReplyFault = 'request' | 'service';

/**
 * The `error` map of a reply about `error`: a {@link PublicError} as the handler wrote it, a
 * request fault described without location, anything else as a {@link HandlerError} that names
 * only the workflow id.
 */
export function replyErrorFor(error: unknown, fault: ReplyFault, workflowId: string | null): ReplyError {
  if (isPublicError(error))
    return {
      type: text(error.name, 'PublicError'),
      code: text(error.code, 'SF_PUBLIC_ERROR'),
      message: clipText(text(error.what, ''), MAX_REPLY_MESSAGE),
    };
  if (fault === 'request' && error instanceof SfError)
    return { type: error.name, code: error.code, message: clipText(describeForPeer(error), MAX_REPLY_MESSAGE) };
  const generic = new HandlerError(workflowId);
  return { type: generic.name, code: generic.code, message: generic.what };
}

/**
 * One error-reply frame (`return_args` nil) about `error`, safe to send to a remote peer (see
 * {@link replyErrorFor}). Log `error` itself, with the workflow id, where it is caught.
 */
export function encodeErrorReply(workflowId: string | null, error: unknown, fault: ReplyFault): Uint8Array {
  return encodeReply({ return_args: null, workflow_id: workflowId, error: replyErrorFor(error, fault, workflowId) });
}

/**
 * What a trace records about `error` (docs/observability.md): the reply a peer gets for a failed
 * inbound message; for a failed `to_send`, the peer's own error (a {@link RemoteError}) or ours.
 */
export function spanErrorOf(error: unknown, fault: ReplyFault | 'send', workflowId: string | null): ReplyError {
  if (fault !== 'send') return replyErrorFor(error, fault, workflowId);
  if (error instanceof RemoteError) {
    const remote = { type: error.remoteType, message: clipText(error.what, MAX_REPLY_MESSAGE) };
    return error.remoteCode === undefined ? remote : { ...remote, code: error.remoteCode };
  }
  return replyErrorFor(error, 'request', workflowId);
}

/** The message of a framework error without its service, model and file: what, the argument path, the hint. */
function describeForPeer(error: SfError): string {
  const { argument } = error.location;
  const what = argument === undefined ? error.what : `${error.what} (argument ${argument})`;
  return error.hint ? `${what}. ${error.hint}` : what;
}

/** `value` when it is a string (a handler's JS may set anything), else `fallback`. */
function text(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}
