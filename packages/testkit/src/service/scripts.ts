import { encodeErrorReply, encodeReply, type OutboundMessage, type ReplyObject } from '@sf/core/plugin';

/** Answers one `to_send` to a scripted out connection: return args, or throw for an error reply. */
export type Responder<Args = Record<string, unknown>, Result = Record<string, unknown>> = (
  args: Args,
  call: SentCall<Args, Result>,
) => Result | Promise<Result>;

/** How a reply is given: a delay first (waited with `setTimeout`, so fake timers drive it). */
export interface RespondOptions {
  /** Milliseconds to wait before answering. */
  delayMs?: number;
}

/** One recorded `to_send` call on an out connection or state. */
export interface SentCall<Args = Record<string, unknown>, Result = Record<string, unknown>> {
  /** The validated args, as the transport got them. */
  readonly args: Args;
  /** The workflow id the message carried (`<id>`, then numbered, as the runner makes them). */
  readonly workflow_id: string | null;
  /** What the scripted peer answered (return args), once it did; `undefined` for types without replies. */
  reply?: Result;
  /** The error the scripted peer answered with, or the transport failure given to `fail`. */
  error?: unknown;
}

/** What one out model does when sent to: answer with a responder, or fail like a broken transport. */
export type Script = { respond: Responder<any, any>; options: RespondOptions } | { fail: unknown };

/**
 * Plays the peer of an out model for one message: waits the delay, runs the responder and encodes
 * its result as the reply frame the peer would send — a thrown error becomes the error reply
 * (`PublicError` message kept, anything else a `HandlerError`), as a real peer service answers.
 */
export async function playPeer(
  script: Script | undefined,
  replies: boolean,
  message: OutboundMessage,
  call: SentCall,
): Promise<Uint8Array | ReplyObject | undefined> {
  if (script !== undefined && 'fail' in script) {
    call.error = script.fail;
    throw script.fail;
  }
  if (script === undefined) return undefined;
  if (script.options.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, script.options.delayMs));
  try {
    const result = ((await script.respond(message.args, call)) ?? {}) as Record<string, unknown>;
    if (!replies) return undefined;
    call.reply = result;
    return encodeReply({ return_args: result, workflow_id: message.workflowId });
  } catch (error) {
    call.error = error;
    if (!replies) throw error;
    return encodeErrorReply(message.workflowId, error, 'service');
  }
}
