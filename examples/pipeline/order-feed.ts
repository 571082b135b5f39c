import { Decimal, defineService, oneOf } from '@sf/core';

/** Leading edge: publishes a few orders, then exits. */
export default defineService({
  connection_models: {
    out: {
      orders: {
        connection_type: 'publisher',
        optional_creation_arguments: { topic: 'orders', wait_after_creation_s: 0.5 },
        required_arguments: { order_id: String, side: oneOf('buy', 'sell'), price: Decimal, quantity: Number },
      },
    },
  },
  main: async (to_send) => {
    const orders = [
      { order_id: 'o-1', side: 'buy', price: new Decimal('100.10'), quantity: 3 },
      { order_id: 'o-2', side: 'sell', price: new Decimal('100.35'), quantity: 1 },
      { order_id: 'o-3', side: 'buy', price: new Decimal('99.95'), quantity: 7 },
    ] as const;
    for (const order of orders) {
      await to_send('connection', 'orders', order);
      console.log(`order-feed: published ${order.order_id} ${order.side} ${order.quantity} @ ${order.price}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  },
});
