import { Decimal, defineService } from '@sf/core';

/** Subscribes to the ETH topic only. */
export default defineService({
  connection_models: {
    in: {
      eth_ticks: {
        connection_type: 'subscriber',
        required_creation_arguments: {
          on_new_message: (args) => console.log(`eth-watcher: ${args.symbol} at ${args.price.toFixed(2)}`),
        },
        optional_creation_arguments: { topic: 'ETH' },
        required_arguments: { symbol: String, price: Decimal },
      },
    },
  },
});
