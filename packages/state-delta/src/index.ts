export { deltaPlugin as default } from './plugin.js';
export { deltaUpdateIn, DEFAULT_SNAPSHOT_TIMEOUT_MS } from './delta-in.js';
export { deltaUpdateOut, DEFAULT_WAIT_AFTER_CREATION_S } from './delta-out.js';
export { applyDelta, type StateValue } from './apply-delta.js';
