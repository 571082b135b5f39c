import { defineService } from '@sf/core';
import { exchange } from './exchange-sdk.js';

/** Leading edge: cancels orders through the SDK, which looks like any other to_send. */
export default defineService({
  connection_models: {
    out: {
      cancel_order: {
        connection_type: 'external_target',
        required_creation_arguments: { target: (args: { order_id: string }) => exchange.cancelOrder(args.order_id) },
        required_arguments: { order_id: String },
        required_return_arguments: { cancelled: Boolean },
      },
    },
  },
  main: async (to_send) => {
    for (const order_id of ['o-1', 'o-2-filled']) {
      const { cancelled } = await to_send('connection', 'cancel_order', { order_id });
      console.log(`canceller: ${order_id} ${cancelled ? 'cancelled' : 'could not be cancelled'}`);
    }
  },
});
