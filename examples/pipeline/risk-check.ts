import { Decimal, defineService, oneOf } from '@sf/core';

/** Subscribes to orders and asks the pricer for each order's notional value. */
export default defineService({
  connection_models: {
    in: {
      orders: {
        connection_type: 'subscriber',
        optional_creation_arguments: { topic: 'orders' },
        required_creation_arguments: {
          on_new_message: async (args, to_send) => {
            const { notional } = await to_send('connection', 'notional', { price: args.price, quantity: args.quantity });
            console.log(`risk-check: ${args.order_id} notional ${notional} -> ${notional.gt(500) ? 'REVIEW' : 'ok'}`);
          },
        },
        required_arguments: { order_id: String, side: oneOf('buy', 'sell'), price: Decimal, quantity: Number },
      },
    },
    out: {
      notional: {
        connection_type: 'requester',
        required_arguments: { price: Decimal, quantity: Number },
        required_return_arguments: { notional: Decimal },
      },
    },
  },
});
