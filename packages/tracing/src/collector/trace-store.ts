import type { CollectedSpan } from './otlp-json.js';

/** One trace as the live page lists it. */
export interface TraceSummary {
  /** 32 hex digits. */
  readonly traceId: string;
  /** Name and service of its first span. */
  readonly root: string;
  /** The services it passed through, in order of their first span. */
  readonly services: readonly string[];
  /** Its workflow ids (`sf.workflow_id`), first seen first. */
  readonly workflowIds: readonly string[];
  /** Start of the first span and end of the last, in ms since the epoch. */
  readonly startMs: number;
  readonly endMs: number;
  /** Whether a span failed. */
  readonly error: boolean;
  /** Spans held. */
  readonly spanCount: number;
}

/** Bounds: a collector fed by any local process keeps at most this much. */
export interface TraceStoreLimits {
  /** Traces kept; the oldest go first (default 200). */
  maxTraces?: number;
  /** Spans kept per trace (default 500). */
  maxSpansPerTrace?: number;
}

/** The recent traces, by trace id, in arrival order. */
export class TraceStore {
  readonly #traces = new Map<string, CollectedSpan[]>();
  readonly #maxTraces: number;
  readonly #maxSpans: number;

  constructor(limits: TraceStoreLimits = {}) {
    this.#maxTraces = limits.maxTraces ?? 200;
    this.#maxSpans = limits.maxSpansPerTrace ?? 500;
  }

  /** Adds spans; a trace past its span limit drops the newest. */
  add(spans: readonly CollectedSpan[]): void {
    for (const span of spans) {
      let held = this.#traces.get(span.traceId);
      if (held === undefined) {
        held = [];
        this.#traces.set(span.traceId, held);
        if (this.#traces.size > this.#maxTraces) this.#traces.delete(this.#traces.keys().next().value!);
      }
      if (held.length < this.#maxSpans) held.push(span);
    }
  }

  /** Every span held, oldest trace first. */
  spans(): CollectedSpan[] {
    return [...this.#traces.values()].flat();
  }

  /** The spans of one trace, by start time. */
  trace(traceId: string): CollectedSpan[] {
    return [...(this.#traces.get(traceId) ?? [])].sort((a, b) => a.startMs - b.startMs);
  }

  /** The traces, newest first; `workflow` keeps those with a workflow id that starts with it. */
  list(workflow?: string): TraceSummary[] {
    const out: TraceSummary[] = [];
    for (const [traceId, spans] of this.#traces) {
      const summary = summarise(traceId, spans);
      if (workflow === undefined || workflow === '' || summary.workflowIds.some((idText) => idText.startsWith(workflow))) out.push(summary);
    }
    return out.sort((a, b) => b.startMs - a.startMs);
  }
}

function summarise(traceId: string, spans: readonly CollectedSpan[]): TraceSummary {
  const ordered = [...spans].sort((a, b) => a.startMs - b.startMs);
  const services: string[] = [];
  const workflowIds: string[] = [];
  for (const span of ordered) {
    if (!services.includes(span.service)) services.push(span.service);
    const idText = span.attributes['sf.workflow_id'];
    if (typeof idText === 'string' && !workflowIds.includes(idText)) workflowIds.push(idText);
  }
  const first = ordered[0]!;
  return {
    traceId,
    root: `${first.service}: ${first.name}`,
    services,
    workflowIds,
    startMs: first.startMs,
    endMs: Math.max(...ordered.map((span) => span.endMs)),
    error: ordered.some((span) => span.error),
    spanCount: ordered.length,
  };
}
