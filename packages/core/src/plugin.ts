export type * from './plugin/contract.js';
export { definePlugin } from './registry/define-plugin.js';
export { answerRequest } from './plugin/answer-request.js';
export { integerArgument, numberArgument } from './plugin/creation-arguments.js';
export {
  DEFAULT_RETRY_BACKOFF_MS,
  MAX_RETRIES,
  MAX_RETRY_BACKOFF_MS,
  RETRY_ARGUMENTS,
  type RetryPolicy,
  retryDelay,
  retryPolicy,
} from './plugin/retry-policy.js';
export { readState } from './plugin/read-state.js';
export { jsonForms } from './plugin/json-forms.js';
export { jsonFromValue } from './codec/json-form.js';
export { replyErrorFor } from './codec/error-reply.js';
export { handledFailure } from './runner/inbound.js';
export { WIRE_LIMIT_ARGUMENTS, wireLimits } from './plugin/wire-limits.js';
export {
  LogThrottle,
  type LogThrottleOptions,
  MAX_THROTTLE_KEYS,
  REPEAT_QUIET_MS,
  type ThrottleVerdict,
  withHeldBack,
} from './runner/log-throttle.js';
export { type AddressRole, isLocalEndpoint, parseAddress } from './config/parse-address.js';
export { CORE_MAJOR } from './registry/core-version.js';
export { isPlainObject } from './util/describe-value.js';
export { isStateView, type KeySource, plainOf, readOnlyState, STATE_PLAIN_MAX, stateView } from './util/state-view.js';
export { isPromiseLike } from './util/is-promise-like.js';
export { clipText, QUOTE_MAX, quoteText } from './util/quote-text.js';
export { redactUrlCredentials } from './util/redact-url.js';
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
  type WireLimits,
  DEFAULT_WIRE_LIMITS,
} from './codec/index.js';
export type { EndpointStats, PluginEvent, PluginGauge } from './metrics/endpoint-stats.js';
