/** Exact decimal numbers (the seed's `Decimal`), from decimal.js. */
export { Decimal } from 'decimal.js';
