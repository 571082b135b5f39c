import { Decimal, defineService } from '@sf/core';
import { orderBookModel } from './order-book.js';

const d = (text: string) => new Decimal(text);

/** Leading edge: writes the BTC order book as a delta state, then asks the strategy what it sees. */
export default defineService({
  state_models: {
    out: {
      order_book: {
        state_type: 'delta_update_out',
        optional_creation_arguments: { wait_after_creation_s: 0.5 },
        required_arguments: orderBookModel,
      },
    },
  },
  connection_models: {
    out: {
      quote: {
        connection_type: 'requester',
        required_arguments: { symbol: String },
        required_return_arguments: { mid: Decimal, spread: Decimal, levels: Number },
      },
    },
  },
  main: async (to_send) => {
    const pause = () => new Promise((resolve) => setTimeout(resolve, 150));
    await to_send('state', 'order_book', {
      is_snapshot: true,
      state: {
        best_bid: d('64000.00'),
        best_ask: d('64001.50'),
        bids: { '64000.00': d('1.2'), '63999.50': d('3') },
        asks: { '64001.50': d('0.8'), '64002.00': d('2.5') },
      },
    });
    console.log('market-data: snapshot sent (bid 64000.00 / ask 64001.50)');
    await pause();
    await to_send('state', 'order_book', { state: { best_ask: d('64000.75'), asks: { '64000.75': d('0.4'), '64002.00': d('2.5') } } });
    console.log('market-data: delta sent (ask improves to 64000.75)');
    await pause();
    await to_send('state', 'order_book', { state: { best_bid: d('64000.25'), bids: { '64000.25': d('0.1'), '64000.00': d('1.2') } } });
    console.log('market-data: delta sent (bid improves to 64000.25)');
    await pause();
    const quote = await to_send('connection', 'quote', { symbol: 'BTC' });
    console.log(`market-data: the strategy quotes mid ${quote.mid} (spread ${quote.spread}, ${quote.levels} levels)`);
  },
});
