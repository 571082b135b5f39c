export { pubsubPlugin as default } from './plugin.js';
