import { defineService } from '@sf/core';

/** Leading edge: sends a few words to the echo replyer and prints each reply. */
export default defineService({
  connection_models: {
    out: {
      echo: {
        connection_type: 'requester',
        optional_creation_arguments: { timeout_ms: 3000 },
        required_arguments: { text: String },
        required_return_arguments: { text: String, count: Number },
      },
    },
  },
  config_model: { optional: { words: String } },
  main: async (to_send, config) => {
    for (const text of (config.words ?? 'hello service framework').split(' ')) {
      const reply = await to_send('connection', 'echo', { text });
      console.log(`echo: sent '${text}', got '${reply.text}' (#${reply.count})`);
    }
  },
});
