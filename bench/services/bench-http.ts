import { defineService } from '@sf/core';
import { ORDER_ARGS, ORDER_OPTIONAL_ARGS, REPLY_ARGS } from '../src/payload.js';

/** Answers each order posted to `POST /orders` with `{order_id, status}` (the HTTP row of case 10). */
export default defineService({
  connection_models: {
    in: {
      orders: {
        connection_type: 'http_replyer',
        required_creation_arguments: { on_new_request: (args) => ({ order_id: args.order_id, status: 'accepted' }) },
        optional_creation_arguments: { docs: false },
        required_arguments: ORDER_ARGS,
        optional_arguments: ORDER_OPTIONAL_ARGS,
        required_return_arguments: REPLY_ARGS,
      },
    },
  },
});
