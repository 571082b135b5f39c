export { natsKvPlugin as default } from './plugin.js';
export { decodeKey, encodeKey } from './keys.js';
