import { Decimal, defineService } from '@sf/core';

/** Subscribes to the BTC topic only, and to all news. */
export default defineService({
  connection_models: {
    in: {
      btc_ticks: {
        connection_type: 'subscriber',
        required_creation_arguments: {
          on_new_message: (args) => console.log(`btc-watcher: ${args.symbol} at ${args.price.toFixed(2)}`),
        },
        optional_creation_arguments: { topic: 'BTC' },
        required_arguments: { symbol: String, price: Decimal },
      },
      news: {
        connection_type: 'subscriber',
        required_creation_arguments: { on_new_message: (args) => console.log(`btc-watcher: news '${args.headline}'`) },
        required_arguments: { headline: String },
      },
    },
  },
});
