import { Decimal, mapOf } from '@sf/core';

/** The order book both services share: best prices and the size at each price level. */
export const orderBookModel = {
  best_bid: Decimal,
  best_ask: Decimal,
  bids: mapOf(Decimal, Decimal),
  asks: mapOf(Decimal, Decimal),
} as const;
