import { Decimal, defineService, PublicError, RemoteError } from '@sf/core';

/**
 * The system's front door: `POST /api/quote` with `{"symbol": "BTC", "quantity": "0.5"}` asks the
 * pricer over ZeroMQ and answers `{"symbol": "BTC", "quantity": "0.5", "total": "32000.25"}`.
 * Docs at /docs/, the OpenAPI document at /openapi.json.
 */
export default defineService({
  connection_models: {
    in: {
      quote: {
        connection_type: 'http_replyer',
        required_creation_arguments: {
          on_new_request: async (args, to_send) => {
            try {
              const { total } = await to_send('connection', 'price', args);
              return { ...args, total };
            } catch (error) {
              // The pricer's PublicError reaches here as a RemoteError: pass it on to the HTTP caller as one (404).
              if (error instanceof RemoteError && error.remoteCode === 'UNKNOWN_SYMBOL')
                throw new PublicError(`No price for ${args.symbol}`, { code: 'UNKNOWN_SYMBOL', status: 404 });
              throw error;
            }
          },
        },
        optional_creation_arguments: { prefix: 'api', title: 'Quotes' },
        required_arguments: { symbol: String, quantity: Decimal },
        required_return_arguments: { symbol: String, quantity: Decimal, total: Decimal },
      },
    },
    out: {
      price: {
        connection_type: 'requester',
        required_arguments: { symbol: String, quantity: Decimal },
        required_return_arguments: { total: Decimal },
      },
    },
  },
});
