import { Decimal, defineService } from '@sf/core';

/** Leading edge: publishes BTC and ETH ticks on topics, and news with no topic. */
export default defineService({
  connection_models: {
    out: {
      btc_ticks: {
        connection_type: 'publisher',
        optional_creation_arguments: { topic: 'BTC', wait_after_creation_s: 0.5 },
        required_arguments: { symbol: String, price: Decimal },
      },
      eth_ticks: {
        connection_type: 'publisher',
        optional_creation_arguments: { topic: 'ETH', wait_after_creation_s: 0.5 },
        required_arguments: { symbol: String, price: Decimal },
      },
      news: {
        connection_type: 'publisher',
        optional_creation_arguments: { wait_after_creation_s: 0.5 },
        required_arguments: { headline: String },
      },
    },
  },
  config_model: { optional: { rounds: Number } },
  main: async (to_send, config) => {
    for (let round = 1; round <= (config.rounds ?? 3); round += 1) {
      await to_send('connection', 'btc_ticks', { symbol: 'BTC', price: new Decimal('64000.25').plus(round) });
      await to_send('connection', 'eth_ticks', { symbol: 'ETH', price: new Decimal('3100.10').plus(round) });
      await to_send('connection', 'news', { headline: `round ${round} published` });
      console.log(`publisher: round ${round} sent`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  },
});
