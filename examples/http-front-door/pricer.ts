import { Decimal, defineService, PublicError } from '@sf/core';

const PRICES: Record<string, string> = { BTC: '64000.50', ETH: '3100.25' };

/** Prices a quantity of a symbol, exactly; an unknown symbol is a PublicError the caller sees. */
export default defineService({
  connection_models: {
    in: {
      price: {
        connection_type: 'replyer',
        required_creation_arguments: {
          on_new_request: (args) => {
            const unit = PRICES[args.symbol];
            if (unit === undefined) throw new PublicError(`No price for ${args.symbol}`, { code: 'UNKNOWN_SYMBOL', status: 404 });
            return { total: new Decimal(unit).times(args.quantity) };
          },
        },
        required_arguments: { symbol: String, quantity: Decimal },
        required_return_arguments: { total: Decimal },
      },
    },
  },
});
