export * from './errors.js';
export { Decimal } from './types/decimal.js';
export { UUID } from './types/uuid.js';
