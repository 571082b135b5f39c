/**
 * The runner's tracing hook. Core only calls it; `@sf/tracing` implements it with OpenTelemetry
 * and is loaded only when tracing is asked for (`sf run --otlp`). With tracing off the runner holds
 * no tracer, and every call site is one `undefined` check: no span, no context object, no key.
 */
import type { ReplyError } from '../codec/envelope.js';

/** What a span times: a handler run, a `to_send`, a state value applied, `main` or `sigint_handler`. */
export type SpanOperation = 'handle' | 'send' | 'apply' | 'main' | 'sigint';

/** The endpoint a span belongs to (one per model, built once when the service starts). */
export interface SpanSubject {
  /** The service's name (its file's base name). */
  readonly service: string;
  /** Model path, e.g. `connection_models.in.echo`; `main` or `sigint_handler` for those. */
  readonly model: string;
  /** Connection or state type, e.g. `replyer`; empty for `main`. */
  readonly type: string;
  /** Whether a message of this type gets a reply (request/reply rather than one-way). */
  readonly replies: boolean;
}

/** One span in progress. */
export interface TraceSpan {
  /** The W3C `traceparent` of this span, written into the messages sent under it. */
  readonly traceparent: string;
  /** Ends the span (a second call is ignored); `error`, the safe text a peer gets, marks it failed. */
  end(error?: ReplyError): void;
}

/** Starts and exports spans for one service. */
export interface ServiceTracer {
  /**
   * Starts a span of `operation` on `subject` for workflow `workflowId`; `parent` is a span of this
   * service, a `traceparent` read from a message (ignored unless valid), or absent for a new trace.
   */
  start(operation: SpanOperation, subject: SpanSubject, workflowId: string | null, parent: TraceSpan | string | undefined): TraceSpan;
  /** Exports the spans still buffered and stops; called once at shutdown. */
  shutdown(): Promise<void>;
}
