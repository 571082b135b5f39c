export { createOtlpTracer, type OtlpTracerOptions, SPAN_ATTRIBUTES, tracesUrl } from './otlp-tracer.js';
export { formatTraceparent, parseTraceparent } from './traceparent.js';
