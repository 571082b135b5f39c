import { Decimal, defineService } from '@sf/core';

/** Main mode: sends a few prices to the receiver over `ndjson_out`, then exits. */
export default defineService({
  connection_models: {
    out: {
      prices: {
        connection_type: 'ndjson_out',
        required_arguments: { symbol: String, price: Decimal },
      },
    },
  },
  main: async (to_send) => {
    for (const [symbol, price] of [
      ['BTC', '0.1'],
      ['ETH', '0.2'],
      ['SOL', '0.3'],
    ] as const) {
      await to_send('connection', 'prices', { symbol, price: new Decimal(price) });
      console.log(`sender: sent ${symbol} at ${price}`);
    }
  },
});
