import { Decimal, defineService } from '@sf/core';
import { orderBookModel } from './order-book.js';

/** Reads the replicated order book: reacts to each update, and quotes from it on request. */
export default defineService({
  state_models: {
    in: {
      order_book: {
        state_type: 'delta_update_in',
        optional_creation_arguments: {
          on_update: (book) => console.log(`strategy: book updated, spread ${book.best_ask.minus(book.best_bid)}`),
        },
        required_arguments: orderBookModel,
      },
    },
  },
  connection_models: {
    in: {
      quote: {
        connection_type: 'replyer',
        required_creation_arguments: {
          on_new_request: (_args, _to_send, states) => {
            const book = states.order_book;
            const levels = Object.keys(book.bids).length + Object.keys(book.asks).length;
            return { mid: book.best_bid.plus(book.best_ask).dividedBy(2), spread: book.best_ask.minus(book.best_bid), levels };
          },
        },
        required_arguments: { symbol: String },
        required_return_arguments: { mid: Decimal, spread: Decimal, levels: Number },
      },
    },
  },
});
