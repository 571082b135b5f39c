import type { EndpointContext, TypeDefinition } from '@sf/core/plugin';
import { ReplyServer, SOCKET_CREATION_ARGUMENTS } from '@sf/zmq-base';

/** How long `close()` waits for the request being handled to be answered before closing anyway. */
export { REPLY_GRACE_MS } from '@sf/zmq-base';

/**
 * The `replyer` type: binds and answers each request with the runner's reply, in arrival order.
 * A Router socket rather than Reply (see `ReplyServer`), so a later version can answer requests
 * concurrently; a plain REQ peer (or one behind a ROUTER/DEALER proxy) gets its reply as usual.
 */
export const replyer: TypeDefinition = {
  side: 'in',
  kind: 'connection',
  peers: ['requester'],
  addresses: ['replyer'],
  handler: 'on_new_request',
  replies: true,
  creationArguments: { required: { on_new_request: Function }, optional: SOCKET_CREATION_ARGUMENTS },
  description: 'Answers requests from requesters (any ZeroMQ REQ peer) one at a time, in arrival order.',
  create: (context) => new ReplyServer(context, { label: 'replyer', answer: (body) => runnerReply(context, body) }),
};

/** The runner's reply to one request; `undefined` (logged) when it has none, so the requester gets no answer. */
async function runnerReply(context: EndpointContext, body: Uint8Array): Promise<Uint8Array | undefined> {
  const reply = await context.receive(body);
  if (reply === undefined) context.logger.error('replyer got no reply from the runner; the requester will not be answered');
  return reply;
}
