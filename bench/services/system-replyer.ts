import { defineService } from '@sf/core';

/** One of the small services of the "system start-up" case: answers `ping` with the text it got. */
export default defineService({
  connection_models: {
    in: {
      ping: {
        connection_type: 'replyer',
        required_creation_arguments: { on_new_request: (args) => ({ text: args.text }) },
        required_arguments: { text: String },
        required_return_arguments: { text: String },
      },
    },
  },
});
