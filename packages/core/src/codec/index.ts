/** The wire codec (SPEC §4): envelopes, values with markers, topic framing. */
export type { ReplyEnvelope, ReplyError, RequestEnvelope } from './envelope.js';
export { decodeReply, decodeRequest, encodeReply, encodeRequest, MAX_TRACEPARENT } from './envelope.js';
export { encodeErrorReply, type ReplyFault } from './error-reply.js';
export { frameTopic, framePayload, stripTopic, topicPrefix } from './topic.js';
export { decodeValue, encodeValue } from './values.js';
export { WIRE_MAX_DEPTH } from './markers.js';
export { DEFAULT_MAX_ELEMENTS, DEFAULT_WIRE_LIMITS, type WireLimits } from './wire-budget.js';
