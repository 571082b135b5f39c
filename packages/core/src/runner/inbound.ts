import { decodeRequest, encodeReply } from '../codec/envelope.js';
import { encodeErrorReply, type ReplyFault, spanErrorOf } from '../codec/error-reply.js';
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

/**
 * Builds the `receive(frame)` of one in-connection: decode → check args → handler → check the
 * return → encode the reply. Never rejects: a bad message or a throwing handler is logged and,
 * where a reply is due, answered with an error reply. A synchronous handler's reply is returned as
 * it is, not wrapped in a promise (see `EndpointContext.receive`). `stats` (metrics on) counts the
 * failures by error type; `limits` bounds what a frame may hold (see `wire-budget.ts`).
 */
export function createReceiver(
  model: ResolvedModel,
  scope: InboundScope,
  stats?: EndpointStats,
  limits?: WireLimits,
): (frame: Uint8Array) => Uint8Array | undefined | Promise<Uint8Array | undefined> {
  const { outputs, states, config, logger, inflight, rejections, tracer } = scope;
  const replies = model.definition.replies;
  const handler = model.handler;
  const from = model.path;
  const subject = tracer === undefined ? undefined : spanSubject(model, scope);

  /**
   * Logs `error` at warn with the workflow id (the full error: the peer is told only what
   * `encodeErrorReply` lets through; throttled, see RejectCounter) and returns the error reply where one is due.
   * Ends `span` (tracing on) as failed, with what the peer is told.
   */
  const fail = (
    workflowId: string | null,
    error: unknown,
    what: string,
    fault: ReplyFault,
    reason?: string,
    span?: TraceSpan,
  ): Uint8Array | undefined => {
    if (span !== undefined) span.end(spanErrorOf(error, fault, workflowId));
    if (reason !== undefined) rejections?.count(from, reason);
    stats?.failed(error); // metrics (off: undefined)
    const fields = { workflow_id: workflowId, from, reason, err: error };
    // Throttled per endpoint and reason: a peer can send bad messages (or trip a handler) in a loop.
    if (rejections === undefined) logger.warn(fields, what);
    else rejections.warn(logger, from, reason ?? 'handler_failed', fields, what);
    return replies ? encodeErrorReply(workflowId, error, fault) : undefined;
  };

  /** The reply to a handler's result (`undefined` for types without replies). */
  const answer = (result: unknown, workflowId: string, span: TraceSpan | undefined): Uint8Array | undefined => {
    if (!replies) {
      span?.end();
      return undefined;
    }
    const returned = (result ?? {}) as Record<string, unknown>;
    const badReturn = model.returns?.check(returned);
    if (badReturn !== undefined)
      return fail(workflowId, badReturn, 'the handler returned bad return arguments', 'service', undefined, span);
    span?.end();
    return encodeReply({ return_args: returned, workflow_id: workflowId });
  };

  /** Waits for an async handler, then answers; never rejects. */
  const answerLater = async (pending: PromiseLike<unknown>, workflowId: string, span: TraceSpan | undefined) => {
    try {
      return answer(await pending, workflowId, span);
    } catch (error) {
      return fail(workflowId, error, 'the handler threw', 'service', undefined, span);
    } finally {
      inflight.leave();
    }
  };

  return (frame) => {
    inflight.enter();
    let workflowId: string | null = null;
    let synchronous = true;
    let span: TraceSpan | undefined;
    try {
      let envelope: ReturnType<typeof decodeRequest>;
      try {
        envelope = decodeRequest(frame, undefined, limits);
      } catch (error) {
        return fail(null, error, 'rejected a message that could not be decoded', 'request', 'undecodable');
      }
      workflowId = envelope.workflow_id ?? newWorkflowId();
      if (tracer !== undefined) span = tracer.start('handle', subject!, workflowId, envelope.trace);
      const invalid = model.args.check(envelope.args);
      if (invalid !== undefined)
        return fail(workflowId, invalid, 'rejected a message with bad arguments', 'request', 'bad_arguments', span);
      if (logger.isLevelEnabled('debug')) logger.debug({ workflow_id: workflowId, from }, 'received');
      if (handler === undefined) {
        span?.end();
        return replies ? encodeReply({ return_args: {}, workflow_id: workflowId }) : undefined;
      }
      const result = handler(envelope.args, workflowToSend(outputs, workflowId, span), states, config);
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
