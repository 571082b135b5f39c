import { Decimal, defineService } from '@sf/core';
import { best, bookSide } from './order-book.js';

/** Reads the replicated order book (one delta state per side): reacts to each update, and quotes from it on request. */
export default defineService({
  state_models: {
    in: {
      bids: {
        state_type: 'delta_update_in',
        optional_creation_arguments: { on_update: (bids) => console.log(`strategy: best bid ${best(bids, 'bid')?.toFixed(2)}`) },
        ...bookSide,
      },
      asks: {
        state_type: 'delta_update_in',
        optional_creation_arguments: { on_update: (asks) => console.log(`strategy: best ask ${best(asks, 'ask')?.toFixed(2)}`) },
        ...bookSide,
      },
    },
  },
  connection_models: {
    in: {
      quote: {
        connection_type: 'replyer',
        required_creation_arguments: {
          on_new_request: (_args, _to_send, states) => {
            const bid = best(states.bids, 'bid');
            const ask = best(states.asks, 'ask');
            if (bid === undefined || ask === undefined) throw new Error('No quote: one side of the book is empty');
            const levels = Object.keys(states.bids).length + Object.keys(states.asks).length;
            return { mid: bid.plus(ask).dividedBy(2), spread: ask.minus(bid), levels };
          },
        },
        required_arguments: { symbol: String },
        required_return_arguments: { mid: Decimal, spread: Decimal, levels: Number },
      },
    },
  },
});
