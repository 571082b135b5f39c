export type * from './plugin/contract.js';
