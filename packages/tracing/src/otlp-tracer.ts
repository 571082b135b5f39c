/**
 * The runner's tracing hook (`ServiceTracer` of `@sf/core`) over the OpenTelemetry SDK: spans are
 * batched and exported over OTLP/HTTP (JSON) to any collector. Built by `sf run --otlp` only.
 */
import { ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import { ATTR_ERROR_TYPE, ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { ReplyError, ServiceTracer, SpanOperation, SpanSubject, TraceSpan } from '@sf/core';
import { formatTraceparent, parseTraceparent } from './traceparent.js';
import { quietDiagnostics, type WarnLogger } from './diagnostics.js';

/** Where and how much to trace. */
export interface OtlpTracerOptions {
  /** The service's name (`service.name` of every span). */
  service: string;
  /** OTLP/HTTP traces endpoint, e.g. `http://127.0.0.1:4318/v1/traces` (a bare origin gets `/v1/traces`). */
  url: string;
  /** Share of new traces recorded, 0 to 1 (default 1); a message's trace keeps its sender's choice. */
  sampling?: number;
  /** How often buffered spans are sent, in ms (default 1000). */
  exportEveryMs?: number;
  /** Where export failures are reported (at most one line a minute). */
  logger?: WarnLogger;
}

/** Attribute names of every span (docs/observability.md, "Traces"). */
export const SPAN_ATTRIBUTES = {
  workflowId: 'sf.workflow_id',
  service: 'sf.service',
  model: 'sf.model',
  type: 'sf.connection_type',
  errorCode: 'sf.error.code',
} as const;

/** Spans sent in one export request at most. */
const MAX_EXPORT_BATCH = 2048;
/** Finished spans waiting for export at most; more are dropped (a collector that is down costs no memory beyond this). */
export const MAX_QUEUED_SPANS = 8192;

/** The OTLP traces URL for `url`: a bare origin (path `/`) gets the standard path `/v1/traces`. */
export function tracesUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.pathname === '/' || parsed.pathname === '') parsed.pathname = '/v1/traces';
  return parsed.toString();
}

class OtelSpan implements TraceSpan {
  readonly span: Span;
  #traceparent: string | undefined;
  #ended = false;

  constructor(span: Span) {
    this.span = span;
  }

  get traceparent(): string {
    this.#traceparent ??= formatTraceparent(this.span.spanContext());
    return this.#traceparent;
  }

  end(error?: ReplyError): void {
    if (this.#ended) return;
    this.#ended = true;
    if (error !== undefined) {
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
      this.span.setAttribute(ATTR_ERROR_TYPE, error.type);
      if (error.code !== undefined) this.span.setAttribute(SPAN_ATTRIBUTES.errorCode, error.code);
      this.span.recordException({ name: error.type, message: error.message, ...(error.code !== undefined && { code: error.code }) });
    }
    this.span.end();
  }
}

function spanKind(operation: SpanOperation, replies: boolean): SpanKind {
  if (operation === 'handle') return replies ? SpanKind.SERVER : SpanKind.CONSUMER;
  if (operation === 'send') return replies ? SpanKind.CLIENT : SpanKind.PRODUCER;
  return operation === 'apply' ? SpanKind.CONSUMER : SpanKind.INTERNAL;
}

function spanName(operation: SpanOperation, subject: SpanSubject): string {
  if (operation === 'main' || operation === 'sigint') return subject.model;
  const verb = operation === 'send' && subject.model.startsWith('state_models.') ? 'write' : operation;
  return `${verb} ${subject.model}`;
}

/** A tracer that exports to `options.url`; call `shutdown()` to send what is buffered. */
export function createOtlpTracer(options: OtlpTracerOptions): ServiceTracer {
  const ratio = options.sampling ?? 1;
  if (!(ratio >= 0 && ratio <= 1)) throw new RangeError(`sampling must be between 0 and 1, not ${ratio}`);
  if (options.logger !== undefined) quietDiagnostics(options.logger);
  const exporter = new OTLPTraceExporter({ url: tracesUrl(options.url) });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.service }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) }),
    spanProcessors: [
      // Fewer, larger exports than the SDK's default (512 spans): each one is an HTTP request and a wake-up.
      new BatchSpanProcessor(exporter, {
        scheduledDelayMillis: options.exportEveryMs ?? 1000,
        maxExportBatchSize: MAX_EXPORT_BATCH,
        maxQueueSize: MAX_QUEUED_SPANS,
      }),
    ],
  });
  const tracer: Tracer = provider.getTracer('@sf/tracing');
  return {
    start(operation, subject, workflowId, parent) {
      let context = ROOT_CONTEXT;
      if (parent instanceof OtelSpan) context = trace.setSpan(ROOT_CONTEXT, parent.span);
      else if (typeof parent === 'string') {
        const remote = parseTraceparent(parent);
        if (remote !== undefined) context = trace.setSpanContext(ROOT_CONTEXT, remote);
      }
      const attributes: Record<string, string> = {
        [SPAN_ATTRIBUTES.service]: subject.service,
        [SPAN_ATTRIBUTES.model]: subject.model,
      };
      if (subject.type !== '') attributes[SPAN_ATTRIBUTES.type] = subject.type;
      if (workflowId !== null) attributes[SPAN_ATTRIBUTES.workflowId] = workflowId;
      return new OtelSpan(
        tracer.startSpan(spanName(operation, subject), { kind: spanKind(operation, subject.replies), attributes }, context),
      );
    },
    shutdown: () => provider.shutdown(),
  };
}
