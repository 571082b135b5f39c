export { externalPlugin as default } from './plugin.js';
export type { ExternalTarget } from './external-target.js';
