export { reqrepPlugin as default } from './plugin.js';
