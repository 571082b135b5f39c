// Shared by the ZeroMQ plugins: core has no transport dependency to host these helpers.
export { addressPath, hasAddress, type SocketAddress, socketAddress } from './address.js';
export { numberArgument } from './arguments.js';
export { bindSocket, connectSocket } from './bind-connect.js';
export { CLOSE_LINGER_MS, closedError, closeSocket, settleWithin } from './close.js';
export { type AnswerRequest, REPLY_GRACE_MS, ReplyServer, type ReplyServerOptions } from './reply-server.js';
export { DEFAULT_WAIT_AFTER_CREATION_S, TopicPublisher, type TopicPublisherOptions } from './topic-publisher.js';
export { TopicSubscriber, type TopicSubscriberOptions } from './topic-subscriber.js';
