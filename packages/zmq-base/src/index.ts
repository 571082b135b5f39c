// Shared by the ZeroMQ plugins: core has no transport dependency to host these helpers.
export { addressPath, hasAddress, type SocketAddress, socketAddress } from './address.js';
export { bindSocket, connectSocket } from './bind-connect.js';
export { createSocket, type SocketSettings, socketReady, socketSettings } from './create-socket.js';
export { CURVE_ARGUMENT, type CurveSettings } from './curve.js';
export { type KeyPair, readAllowedKeys, readKeyPair, readPublicKey, type WrittenKeyPair, writeKeyPair } from './key-files.js';
export { SOCKET_OPTION_DEFAULTS, type SocketOptionValues } from './socket-options.js';
export { RECEIVE_HIGH_WATER_MARK_ARGUMENT, SEND_HIGH_WATER_MARK_ARGUMENT, SOCKET_CREATION_ARGUMENTS } from './socket-arguments.js';
export { HighWaterDrops, ZMQ_DEFAULT_HIGH_WATER_MARK } from './high-water-drops.js';
export { keyId, isZ85Key, z85Decode, z85Encode } from './z85.js';
export { registerZapDomain, ZAP_ENDPOINT, type ZapDomain, type ZapRegistration } from './zap-handler.js';
export { BURST_FRAMES, BurstSender, type BurstSenderOptions, FRAMES_PER_TURN } from './burst-sender.js';
export { CLOSE_LINGER_MS, closedError, closeSocket, settleWithin } from './close.js';
export { OneShotRequester, type OneShotRequesterOptions } from './one-shot-requester.js';
export { type AnswerRequest, REPLY_GRACE_MS, ReplyServer, type ReplyServerOptions } from './reply-server.js';
export { DEFAULT_WAIT_AFTER_CREATION_S, TopicPublisher, type TopicPublisherOptions } from './topic-publisher.js';
export { TopicSubscriber, type TopicSubscriberOptions } from './topic-subscriber.js';
