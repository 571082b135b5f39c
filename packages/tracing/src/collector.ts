export { type CollectedSpan, spansOfExport } from './collector/otlp-json.js';
export { MAX_EXPORT_BYTES, type OtlpReceiver, receiveTraces } from './collector/otlp-receiver.js';
export { TraceStore, type TraceStoreLimits, type TraceSummary } from './collector/trace-store.js';
