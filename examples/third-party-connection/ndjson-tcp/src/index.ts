export { ndjsonTcpPlugin as default } from './plugin.js';
export { DEFAULT_MAX_LINE_BYTES } from './ndjson-in.js';
export { DEFAULT_CONNECT_TIMEOUT_MS } from './ndjson-out.js';
