export { fullStatePlugin as default } from './plugin.js';
export { DEFAULT_SNAPSHOT_TIMEOUT_MS } from './full-update-in.js';
export { DEFAULT_WAIT_AFTER_CREATION_S } from './full-update-out.js';
