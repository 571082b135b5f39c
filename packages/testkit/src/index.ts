export { type TestServiceOptions, testService } from './service/test-service.js';
export type { CallResult, TestService, TestServiceOf } from './service/types.js';
export type { RespondOptions, Responder, SentCall } from './service/scripts.js';
export { CHECK_NAMES, type CheckName, type ConformanceOptions, type PairAddresses, type PeerPair } from './conformance/options.js';
export {
  assertConformance,
  type CheckResult,
  type ConformanceReport,
  type PlannedCheck,
  planConformance,
  runConformance,
} from './conformance/run.js';
