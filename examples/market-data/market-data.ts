import { Decimal, defineService } from '@sf/core';
import { bookSide, level } from './order-book.js';

const d = (text: string) => new Decimal(text);

/** Leading edge: writes both sides of the BTC order book as delta states, then asks the strategy what it sees. */
export default defineService({
  state_models: {
    out: {
      bids: { state_type: 'delta_update_out', optional_creation_arguments: { wait_after_creation_s: 0.5 }, ...bookSide },
      asks: { state_type: 'delta_update_out', optional_creation_arguments: { wait_after_creation_s: 0.5 }, ...bookSide },
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
    // One snapshot per side, then deltas that name only the levels they change.
    await to_send('state', 'bids', { is_snapshot: true, state: { [level('64000')]: d('1.2'), [level('63999.5')]: d('3') } });
    await to_send('state', 'asks', { is_snapshot: true, state: { [level('64001.5')]: d('0.8'), [level('64002')]: d('2.5') } });
    console.log('market-data: snapshots sent (bid 64000.00 / ask 64001.50)');
    await pause();
    await to_send('state', 'asks', { state: { [level('64000.75')]: d('0.4') } });
    console.log('market-data: delta sent (a new ask level at 64000.75)');
    await pause();
    await to_send('state', 'bids', { state: { [level('64000.25')]: d('0.1'), [level('63999.5')]: null } });
    console.log('market-data: delta sent (a new bid level at 64000.25, the 63999.50 level removed)');
    await pause();
    const quote = await to_send('connection', 'quote', { symbol: 'BTC' });
    console.log(`market-data: the strategy quotes mid ${quote.mid} (spread ${quote.spread}, ${quote.levels} levels)`);
  },
});
