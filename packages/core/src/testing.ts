// `@sf/core/testing`: helpers for testing plugins against real sockets without the runner.
export { listen, freePort } from './testing/free-port.js';
export { type LogLine, outbound, sleep, type TestContext, type TestContextOptions, testContext } from './testing/endpoint-context.js';
export { stateCheck } from './testing/state-check.js';
