import { defineService } from '@sf/core';

/**
 * One of the small services of the "system start-up" case: answers `ping` by asking the next
 * service (`next`, a replyer that `sf up` starts first) and passing its answer on.
 */
export default defineService({
  connection_models: {
    in: {
      ping: {
        connection_type: 'replyer',
        required_creation_arguments: {
          on_new_request: async (args, to_send) => ({ text: (await to_send('connection', 'next', { text: args.text })).text }),
        },
        required_arguments: { text: String },
        required_return_arguments: { text: String },
      },
    },
    out: {
      next: {
        connection_type: 'requester',
        required_arguments: { text: String },
        required_return_arguments: { text: String },
      },
    },
  },
});
