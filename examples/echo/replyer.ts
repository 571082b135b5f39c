import { defineService } from '@sf/core';

/** Answers each `echo` request with the same text, upper-cased, and a count. */
let count = 0;

export default defineService({
  connection_models: {
    in: {
      echo: {
        connection_type: 'replyer',
        required_creation_arguments: {
          on_new_request: (args) => {
            count += 1;
            return { text: args.text.toUpperCase(), count };
          },
        },
        required_arguments: { text: String },
        required_return_arguments: { text: String, count: Number },
      },
    },
  },
});
