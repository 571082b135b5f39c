import type { TypeDefinition } from '@sf/core/plugin';
import { ReplyServer, SOCKET_CREATION_ARGUMENTS } from '@sf/zmq-base';
import { concurrencyArgument } from './concurrency.js';

/** How long `close()` waits for the requests being handled to be answered before closing anyway. */
export { REPLY_GRACE_MS } from '@sf/zmq-base';

/**
 * The `replyer` type: binds and answers each request with the runner's reply. By default one
 * request is handled at a time, in arrival order; `concurrency: N` lets up to N handlers run at
 * once (for handlers that wait on I/O), each reply going back to its own requester. A Router
 * socket rather than Reply (see `ReplyServer`), so a plain REQ peer (or one behind a ROUTER/DEALER
 * proxy) gets its reply as usual, whichever order the answers are ready in.
 */
export const replyer: TypeDefinition = {
  side: 'in',
  kind: 'connection',
  peers: ['requester'],
  addresses: ['replyer'],
  handler: 'on_new_request',
  replies: true,
  creationArguments: { required: { on_new_request: Function }, optional: { concurrency: Number, ...SOCKET_CREATION_ARGUMENTS } },
  description: 'Answers requests from requesters (any ZeroMQ REQ peer), one at a time in arrival order unless concurrency allows more.',
  create: (context) =>
    new ReplyServer(context, {
      label: 'replyer',
      answer: (body) => context.receive(body),
      noReply: 'replyer got no reply from the runner; the requester will not be answered',
      concurrency: concurrencyArgument(context),
    }),
};
