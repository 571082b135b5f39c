export type * from './plugin/contract.js';
export { definePlugin } from './registry/define-plugin.js';
export { HANDLED } from './plugin/handled.js';
export { type AddressRole, parseAddress } from './config/parse-address.js';
export { CORE_MAJOR } from './registry/core-version.js';
export { isPlainObject } from './util/describe-value.js';
export { isPromiseLike } from './util/is-promise-like.js';
export {
  decodeReply,
  decodeRequest,
  decodeValue,
  encodeErrorReply,
  encodeReply,
  encodeRequest,
  encodeValue,
  framePayload,
  frameTopic,
  stripTopic,
  topicPrefix,
  type ReplyEnvelope,
  type ReplyError,
  type ReplyFault,
  type RequestEnvelope,
} from './codec/index.js';
export type { EndpointStats, PluginEvent, PluginGauge } from './metrics/endpoint-stats.js';
