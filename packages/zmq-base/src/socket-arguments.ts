import { WIRE_LIMIT_ARGUMENTS } from '@sf/core/plugin';
import { CURVE_ARGUMENT } from './curve.js';

/**
 * Creation arguments every ZeroMQ type of the framework accepts (spread them into a type's
 * `creationArguments.optional`): socket options, defaults in `SOCKET_OPTION_DEFAULTS`, the wire
 * limits of inbound frames (`WIRE_LIMIT_ARGUMENTS`), and `curve`, the CURVE keys (see `CURVE_ARGUMENT`).
 */
export const SOCKET_CREATION_ARGUMENTS = {
  heartbeat_interval_ms: Number,
  heartbeat_timeout_ms: Number,
  reconnect_interval_ms: Number,
  reconnect_max_interval_ms: Number,
  max_message_size: Number,
  ...WIRE_LIMIT_ARGUMENTS,
  curve: CURVE_ARGUMENT,
} as const;

/**
 * `send_high_water_mark`: most messages queued per peer before ZeroMQ drops (PUB) or waits; 0 is no
 * limit. Spread it into the types that take it.
 */
export const SEND_HIGH_WATER_MARK_ARGUMENT = { send_high_water_mark: Number } as const;

/** `receive_high_water_mark`: most inbound messages queued before ZeroMQ stops reading from the peer; 0 is no limit. */
export const RECEIVE_HIGH_WATER_MARK_ARGUMENT = { receive_high_water_mark: Number } as const;
