export { natsPlugin as default } from './plugin.js';
export { checkSubject } from './arguments.js';
export {
  closedError,
  closeNats,
  connectNats,
  connectionOptions,
  DEFAULT_SERVERS,
  NATS_ADDRESS,
  NATS_CREATION_ARGUMENTS,
  NatsClient,
  serverList,
} from './connection.js';
export { onNats } from './on-nats.js';
