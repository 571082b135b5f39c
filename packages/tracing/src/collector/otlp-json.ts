/**
 * Spans out of an OTLP/HTTP JSON export request (`ExportTraceServiceRequest`, what
 * `@opentelemetry/exporter-trace-otlp-http` sends): flat records, with what a waterfall needs.
 * The body comes from any local process, so every field is checked and anything odd is skipped.
 */
import { isPlainObject } from '@sf/core/plugin';

/** One span as the collector keeps it. */
export interface CollectedSpan {
  /** 32 hex digits. */
  readonly traceId: string;
  /** 16 hex digits. */
  readonly spanId: string;
  /** The parent's span id, or undefined for a root span (of this trace, or of a remote caller's). */
  readonly parentSpanId: string | undefined;
  /** Span name, e.g. `handle connection_models.in.echo`. */
  readonly name: string;
  /** `server`, `client`, `producer`, `consumer` or `internal`. */
  readonly kind: string;
  /** `service.name` of the exporting service. */
  readonly service: string;
  /** Start and end, in ms since the epoch (fractions kept). */
  readonly startMs: number;
  readonly endMs: number;
  /** Whether the span's status is ERROR. */
  readonly error: boolean;
  /** The error status message, when failed. */
  readonly statusMessage: string | undefined;
  /** String, number and boolean attributes. */
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
}

const KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const HEX = /^[0-9a-f]+$/i;

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** An OTLP `AnyValue` as a plain scalar (other kinds are skipped). */
function scalar(value: unknown): string | number | boolean | undefined {
  if (!isPlainObject(value)) return undefined;
  if (typeof value.stringValue === 'string') return value.stringValue;
  if (typeof value.boolValue === 'boolean') return value.boolValue;
  if (typeof value.doubleValue === 'number') return value.doubleValue;
  if (typeof value.intValue === 'number' || typeof value.intValue === 'string') return Number(value.intValue);
  return undefined;
}

function attributesOf(value: unknown): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const item of list(value)) {
    if (!isPlainObject(item) || typeof item.key !== 'string') continue;
    const scalarValue = scalar(item.value);
    if (scalarValue !== undefined) out[item.key] = typeof scalarValue === 'string' ? scalarValue.slice(0, 1000) : scalarValue;
  }
  return out;
}

/** OTLP JSON writes the 64-bit nanosecond times as strings (or numbers): ms with fractions. */
function nanosToMs(value: unknown): number | undefined {
  if (typeof value === 'number') return value / 1e6;
  if (typeof value !== 'string' || !/^\d{1,20}$/.test(value)) return undefined;
  const nanos = BigInt(value);
  return Number(nanos / 1000n) / 1000;
}

function id(value: unknown, length: number): string | undefined {
  return typeof value === 'string' && value.length === length && HEX.test(value) ? value.toLowerCase() : undefined;
}

/** The spans in one decoded export request; malformed ones are left out. */
export function spansOfExport(body: unknown): CollectedSpan[] {
  const spans: CollectedSpan[] = [];
  if (!isPlainObject(body)) return spans;
  for (const resourceSpans of list(body.resourceSpans)) {
    if (!isPlainObject(resourceSpans)) continue;
    const resource = isPlainObject(resourceSpans.resource) ? attributesOf(resourceSpans.resource.attributes) : {};
    const service = typeof resource['service.name'] === 'string' ? resource['service.name'] : 'unknown';
    for (const scopeSpans of list(resourceSpans.scopeSpans)) {
      if (!isPlainObject(scopeSpans)) continue;
      for (const span of list(scopeSpans.spans)) {
        const collected = isPlainObject(span) ? spanOf(span, service) : undefined;
        if (collected !== undefined) spans.push(collected);
      }
    }
  }
  return spans;
}

function spanOf(span: Record<string, unknown>, service: string): CollectedSpan | undefined {
  const traceId = id(span.traceId, 32);
  const spanId = id(span.spanId, 16);
  const startMs = nanosToMs(span.startTimeUnixNano);
  const endMs = nanosToMs(span.endTimeUnixNano);
  if (traceId === undefined || spanId === undefined || startMs === undefined || endMs === undefined) return undefined;
  const status = isPlainObject(span.status) ? span.status : {};
  const kind = typeof span.kind === 'number' ? (KINDS[span.kind] ?? 'unspecified') : 'unspecified';
  return {
    traceId,
    spanId,
    parentSpanId: id(span.parentSpanId, 16),
    name: typeof span.name === 'string' ? span.name.slice(0, 200) : '',
    kind,
    service,
    startMs,
    endMs,
    error: status.code === 2 || status.code === 'STATUS_CODE_ERROR',
    statusMessage: typeof status.message === 'string' && status.message !== '' ? status.message.slice(0, 1000) : undefined,
    attributes: attributesOf(span.attributes),
  };
}
