export { httpPlugin as default } from './plugin.js';
export type { AuthorizeRequest } from './settings.js';
