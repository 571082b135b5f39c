import { defineService } from '@sf/core';

/** Stands in for a browser or curl: calls the front door over HTTP (retrying while it starts), prints the replies. */
export default defineService({
  config_model: { required: { url: String } },
  main: async (_to_send, config) => {
    for (const body of [
      { symbol: 'BTC', quantity: '0.5' },
      { symbol: 'DOGE', quantity: '1' },
    ]) {
      const reply = await post(config.url, body);
      console.log(`caller: ${body.symbol} -> ${reply.status} ${await reply.text()}`);
    }
  },
});

async function post(url: string, body: unknown): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    } catch (error) {
      if (attempt === 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
