// `@sf/core/testing`: helpers for testing plugins against real sockets without the runner, and the
// runner's own parts for running a service in-process (what `@sf/testkit` builds on).
export { listen, freePort } from './testing/free-port.js';
export { type LogLine, outbound, type TestContext, type TestContextOptions, testContext } from './testing/endpoint-context.js';
/** Resolves after `ms` milliseconds (Node's promise timer). */
export { setTimeout as sleep } from 'node:timers/promises';
export { stateCheck } from './testing/state-check.js';
export { type RecordedLog, type RecordingLogger, recordingLogger } from './testing/record-logger.js';
export { createReceiver, InflightCounter, type InboundScope } from './runner/inbound.js';
export { createStateUpdater } from './runner/states.js';
export { Outbound, Outputs } from './runner/outputs.js';
export { RejectCounter, type RejectedCounts } from './runner/rejections.js';
export { newWorkflowId, type ToSend as RunnerToSend, workflowToSend } from './runner/to-send.js';
export { endpointContext } from './runner/start-service.js';
export { collectServiceExports, loadServiceModule, type LoadedServiceModule } from './service/load-service.js';
export { registerDiscovered } from './registry/discover-plugins.js';
