import { Decimal, mapOf } from '@sf/core';

/**
 * One side of the BTC order book as a delta state: price level → size, one key per level. The keys
 * are dynamic (the seed's `{Decimal: Decimal}` at the top level), so an update carries only the
 * levels that changed, and `null` removes a level.
 */
export const bookSide = { optional_arguments: mapOf(Decimal, Decimal) } as const;

/** The key of a price level: the price with two decimals, so one level is always one key. */
export function level(price: string): string {
  return new Decimal(price).toFixed(2);
}

/** The best price of a side: the highest bid or the lowest ask (`undefined` for an empty side). */
export function best(side: Readonly<Record<string, Decimal>>, which: 'bid' | 'ask'): Decimal | undefined {
  const prices = Object.keys(side).map((key) => new Decimal(key));
  if (prices.length === 0) return undefined;
  return which === 'bid' ? Decimal.max(...prices) : Decimal.min(...prices);
}
