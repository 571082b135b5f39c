import { Decimal, defineService } from '@sf/core';

/** Replies with price × quantity, exactly. */
export default defineService({
  connection_models: {
    in: {
      notional: {
        connection_type: 'replyer',
        required_creation_arguments: {
          on_new_request: (args) => ({ notional: args.price.times(args.quantity) }),
        },
        required_arguments: { price: Decimal, quantity: Number },
        required_return_arguments: { notional: Decimal },
      },
    },
  },
});
