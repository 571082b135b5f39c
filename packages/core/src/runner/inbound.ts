import { decodeRequest, encodeReply } from '../codec/envelope.js';
import { encodeErrorReply, type ReplyFault, replyErrorFor, spanErrorOf } from '../codec/error-reply.js';
import { isPublicError } from '../errors.js';
import type { Handled, HandledFailure } from '../plugin/contract.js';
import type { WireLimits } from '../codec/wire-budget.js';
import type { Config } from '../config/load-config.js';
import type { EndpointStats } from '../metrics/endpoint-stats.js';
import type { ResolvedModel } from '../models/resolved-model.js';
import type { Logger } from './logger.js';
import type { Outputs } from './outputs.js';
import type { RejectCounter } from './rejections.js';
import { newWorkflowId, workflowToSend } from './to-send.js';
import { isPromiseLike } from '../util/is-promise-like.js';
import type { ServiceTracer, SpanSubject, TraceSpan } from '../tracing/tracer.js';

/** What handling an inbound message needs from the running service. */
export interface InboundScope {
  /** Out connections and states, for `to_send`. */
  readonly outputs: Outputs;
  /** The `states` object handed to handlers. */
  readonly states: Record<string, unknown>;
  /** The merged config. */
  readonly config: Config;
  /** The service's logger. */
  readonly logger: Logger;
  /** Counts messages being handled, so shutdown can wait for them. */
  readonly inflight: InflightCounter;
  /** Counts rejected inbound messages (undecodable, bad arguments) by endpoint and reason. */
  readonly rejections?: RejectCounter;
  /** Starts spans, while tracing is on (`sf run --otlp`); absent otherwise. */
  readonly tracer?: ServiceTracer;
  /** The service's name, as spans carry it. */
  readonly serviceName?: string;
}

/** How spans name `model`'s endpoint. */
export function spanSubject(model: ResolvedModel, scope: InboundScope): SpanSubject {
  return { service: scope.serviceName ?? '', model: model.path, type: model.typeName, replies: model.definition.replies };
}

/** Counts handler calls in progress and tells when none is left. */
export class InflightCounter {
  #count = 0;
  #idle: (() => void)[] = [];

  /** Number of calls in progress. */
  get count(): number {
    return this.#count;
  }

  /** A call starts. */
  enter(): void {
    this.#count += 1;
  }

  /** A call ends. */
  leave(): void {
    this.#count -= 1;
    if (this.#count === 0) for (const resolve of this.#idle.splice(0)) resolve();
  }

  /** Resolves once no call is in progress. */
  idle(): Promise<void> {
    return this.#count === 0 ? Promise.resolve() : new Promise((resolve) => this.#idle.push(resolve));
  }
}

/** How one handling step answers: as reply frames (`receive`) or as objects (`handle`). */
interface Answers<R> {
  /** The handler's checked return args (`{}` for types without replies). */
  ok(returned: Record<string, unknown>, workflowId: string): R;
  /** A refused message or a failed handler (already logged and counted). */
  failed(workflowId: string | null, error: unknown, fault: ReplyFault): R;
}

/**
 * The handling step of one in-connection: check args → handler → check the return, answered
 * through `answers`. Never rejects: a bad message or a throwing handler is logged (throttled) and
 * answered as a failure. A synchronous handler's answer is returned as it is, not wrapped in a
 * promise (see `EndpointContext.receive`). `stats` (metrics on) counts the failures by error type.
 * With tracing on, each run is a span, parented by the caller's `trace` when given.
 */
function handling<R>(
  model: ResolvedModel,
  scope: InboundScope,
  answers: Answers<R>,
  stats?: EndpointStats,
): (args: unknown, given: string | null, trace?: string) => R | Promise<R> {
  const { outputs, states, config, logger, inflight, tracer } = scope;
  const replies = model.definition.replies;
  const handler = model.handler;
  const from = model.path;
  const subject = tracer === undefined ? undefined : spanSubject(model, scope);

  /**
   * Logs `error` at warn with the workflow id (the peer is told only what `replyErrorFor` lets
   * through; throttled) and answers. Ends `span` (tracing on) as failed, with what the peer is told.
   */
  const fail = (workflowId: string | null, error: unknown, what: string, fault: ReplyFault, reason?: string, span?: TraceSpan): R => {
    if (span !== undefined) span.end(spanErrorOf(error, fault, workflowId));
    noteFailure(scope, from, workflowId, error, what, reason, stats);
    return answers.failed(workflowId, error, fault);
  };

  /** The answer to a handler's result. */
  const answer = (result: unknown, workflowId: string, span: TraceSpan | undefined): R => {
    if (!replies) {
      span?.end();
      return answers.ok(EMPTY, workflowId);
    }
    const returned = (result ?? {}) as Record<string, unknown>;
    const badReturn = model.returns?.check(returned);
    if (badReturn !== undefined)
      return fail(workflowId, badReturn, 'the handler returned bad return arguments', 'service', undefined, span);
    span?.end();
    return answers.ok(returned, workflowId);
  };

  /** Waits for an async handler, then answers; never rejects. */
  const answerLater = async (pending: PromiseLike<unknown>, workflowId: string, span: TraceSpan | undefined): Promise<R> => {
    try {
      return answer(await pending, workflowId, span);
    } catch (error) {
      return fail(workflowId, error, 'the handler threw', 'service', undefined, span);
    } finally {
      inflight.leave();
    }
  };

  return (args, given, trace) => {
    inflight.enter();
    const workflowId = given ?? newWorkflowId();
    let synchronous = true;
    let span: TraceSpan | undefined;
    try {
      if (tracer !== undefined) span = tracer.start('handle', subject!, workflowId, trace);
      const invalid = model.args.check(args);
      if (invalid !== undefined)
        return fail(workflowId, invalid, 'rejected a message with bad arguments', 'request', 'bad_arguments', span);
      if (logger.isLevelEnabled('debug')) logger.debug({ workflow_id: workflowId, from }, 'received');
      if (handler === undefined) {
        span?.end();
        return answers.ok(EMPTY, workflowId);
      }
      const result = handler(args, workflowToSend(outputs, workflowId, span), states, config);
      if (isPromiseLike(result)) {
        synchronous = false;
        return answerLater(result, workflowId, span);
      }
      return answer(result, workflowId, span);
    } catch (error) {
      return fail(workflowId, error, 'the handler threw', 'service', undefined, span);
    } finally {
      if (synchronous) inflight.leave();
    }
  };
}

const EMPTY: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

/** Counts (by `reason`, when given) and logs one failed inbound message, throttled per endpoint and reason. */
function noteFailure(
  scope: InboundScope,
  from: string,
  workflowId: string | null,
  error: unknown,
  what: string,
  reason: string | undefined,
  stats: EndpointStats | undefined,
): void {
  const { logger, rejections } = scope;
  if (reason !== undefined) rejections?.count(from, reason);
  stats?.failed(error); // metrics (off: undefined)
  const fields = { workflow_id: workflowId, from, reason, err: error };
  // Throttled per endpoint and reason: a peer can send bad messages (or trip a handler) in a loop.
  if (rejections === undefined) logger.warn(fields, what);
  else rejections.warn(logger, from, reason ?? 'handler_failed', fields, what);
}

/**
 * Builds the `receive(frame)` of one in-connection: decode → the handling step (check args →
 * handler → check the return) → encode the reply. Never rejects: a bad message or a throwing
 * handler is logged and, where a reply is due, answered with an error reply. `limits` bounds what a
 * frame may hold (see `wire-budget.ts`).
 */
export function createReceiver(
  model: ResolvedModel,
  scope: InboundScope,
  stats?: EndpointStats,
  limits?: WireLimits,
): (frame: Uint8Array) => Uint8Array | undefined | Promise<Uint8Array | undefined> {
  const replies = model.definition.replies;
  const handle = handling<Uint8Array | undefined>(
    model,
    scope,
    {
      ok: (returned, workflowId) => (replies ? encodeReply({ return_args: returned, workflow_id: workflowId }) : undefined),
      failed: (workflowId, error, fault) => (replies ? encodeErrorReply(workflowId, error, fault) : undefined),
    },
    stats,
  );
  return (frame) => {
    let envelope: ReturnType<typeof decodeRequest>;
    try {
      envelope = decodeRequest(frame, undefined, limits);
    } catch (error) {
      noteFailure(scope, model.path, null, error, 'rejected a message that could not be decoded', 'undecodable', stats);
      return replies ? encodeErrorReply(null, error, 'request') : undefined;
    }
    return handle(envelope.args, envelope.workflow_id, envelope.trace);
  };
}

/**
 * Builds the `handle(args, workflowId)` of one in-connection (`EndpointContext.handle`): the
 * handling step for args a transport decoded itself, its outcome as an object.
 */
export function createHandler(
  model: ResolvedModel,
  scope: InboundScope,
  stats?: EndpointStats,
): (args: unknown, workflowId: string | null) => Handled | Promise<Handled> {
  return handling<Handled>(
    model,
    scope,
    {
      ok: (returnArgs, workflowId) => ({ ok: true, workflowId, returnArgs }),
      failed: (workflowId, error, fault) => handledFailure(workflowId, error, fault),
    },
    stats,
  );
}

/** The object form of a failure: what the peer may be told, and a `PublicError`'s status. */
export function handledFailure(workflowId: string | null, error: unknown, fault: ReplyFault): HandledFailure {
  const reply = replyErrorFor(error, fault, workflowId);
  if (!isPublicError(error)) return { ok: false, workflowId, fault, error: reply };
  const status = (error as { status?: unknown }).status;
  return { ok: false, workflowId, fault: 'public', error: reply, status: typeof status === 'number' ? status : 400 };
}
