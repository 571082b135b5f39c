import { Decimal, defineService } from '@sf/core';

/** Keeps a running total of the prices it is sent. No plugin import: `sf run` finds `ndjson_in`. */
let total = new Decimal(0);

export default defineService({
  connection_models: {
    in: {
      prices: {
        connection_type: 'ndjson_in',
        required_creation_arguments: {
          on_new_message: (args) => {
            total = total.plus(args.price);
            console.log(`receiver: ${args.symbol} at ${args.price.toString()}, total ${total.toString()}`);
          },
        },
        required_arguments: { symbol: String, price: Decimal },
      },
    },
  },
});
