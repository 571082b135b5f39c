import { CURVE_ARGUMENT } from './curve.js';

/**
 * Creation arguments every ZeroMQ type of the framework accepts (spread them into a type's
 * `creationArguments.optional`): socket options, defaults in `SOCKET_OPTION_DEFAULTS`, and
 * `curve`, the CURVE keys (see `CURVE_ARGUMENT`).
 */
export const SOCKET_CREATION_ARGUMENTS = {
  heartbeat_interval_ms: Number,
  heartbeat_timeout_ms: Number,
  reconnect_interval_ms: Number,
  reconnect_max_interval_ms: Number,
  max_message_size: Number,
  curve: CURVE_ARGUMENT,
} as const;
