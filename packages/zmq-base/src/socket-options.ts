import type { EndpointContext } from '@sf/core/plugin';
import { integerArgument } from '@sf/core/plugin';
import type { Socket } from 'zeromq';
import { ZMQ_DEFAULT_HIGH_WATER_MARK } from './high-water-drops.js';

/**
 * Defaults of the socket-option creation arguments that every ZeroMQ type of the framework
 * accepts. ZMTP heartbeats are off: in libzmq 4.3.5 a heartbeat on a connection whose receive
 * queue is full (a handler slower than its peer) aborts the process once that peer leaves or stops
 * hearing from us (README, "Hostile peers"); TCP keepalive
 * ({@link TCP_LIVENESS}) finds a dead peer instead. With a maximum set, the reconnect interval
 * doubles after each failed attempt up to it; a larger inbound frame drops its peer.
 */
export const SOCKET_OPTION_DEFAULTS = {
  /** ZMTP heartbeat period; 0 (the default): none. Above 0, see the warning above. */
  heartbeat_interval_ms: 0,
  /** With heartbeats, a peer silent this long is disconnected (and reconnected). */
  heartbeat_timeout_ms: 6000,
  /** First wait before reconnecting: ZeroMQ's 100 ms. */
  reconnect_interval_ms: 100,
  /**
   * Longest wait between reconnect attempts; 0 (ZeroMQ's default) retries every
   * `reconnect_interval_ms`, so a subscriber started before its publisher joins within the
   * publisher's 0.15 s slow-joiner wait. Set it (e.g. 5000) to back off from a peer that stays down.
   */
  reconnect_max_interval_ms: 0,
  /** Largest inbound frame, 16 MiB; a peer that sends a larger one is disconnected. */
  max_message_size: 16 * 1024 * 1024,
} as const;

/**
 * TCP-level liveness set on every socket, done by the kernel (so a stalled receive queue cannot
 * trip it): an idle connection is probed after 10 s, every 2 s, and dropped after 3 unanswered
 * probes. Data left unacknowledged for 60 s drops the connection too (TCP_USER_TIMEOUT): a vanished
 * host takes a minute, not the kernel's 15, and (on Linux 5.11 and later) so does a peer that keeps
 * its receive window shut that long, e.g. a reader stalled decoding a huge snapshot; ZeroMQ reconnects.
 */
export const TCP_LIVENESS = {
  /** SO_KEEPALIVE on. */
  tcpKeepalive: 1,
  /** Seconds idle before the first probe. */
  tcpKeepaliveIdle: 10,
  /** Seconds between probes. */
  tcpKeepaliveInterval: 2,
  /** Unanswered probes before the connection is dropped. */
  tcpKeepaliveCount: 3,
  /** Milliseconds sent data may stay unacknowledged, or the peer's receive window shut. */
  tcpMaxRetransmitTimeout: 60_000,
} as const;

/** Creation arguments read into socket options, each with the ZeroMQ option it sets. */
const OPTIONS = [
  ['heartbeat_interval_ms', 'heartbeatInterval', 0],
  ['heartbeat_timeout_ms', 'heartbeatTimeout', 0],
  ['reconnect_interval_ms', 'reconnectInterval', 0],
  ['reconnect_max_interval_ms', 'reconnectMaxInterval', 0],
  ['max_message_size', 'maxMessageSize', 1],
] as const;

/** High-water marks, applied only where a type declares the creation argument (and the socket kind has the option). */
const HIGH_WATER_MARKS = [
  ['send_high_water_mark', 'sendHighWaterMark'],
  ['receive_high_water_mark', 'receiveHighWaterMark'],
] as const;

/** ZeroMQ socket options of one endpoint (zeromq v6 names). */
export interface SocketOptionValues {
  /** `heartbeat_interval_ms`. */
  readonly heartbeatInterval: number;
  /** `heartbeat_timeout_ms`. */
  readonly heartbeatTimeout: number;
  /** `reconnect_interval_ms`. */
  readonly reconnectInterval: number;
  /** `reconnect_max_interval_ms`. */
  readonly reconnectMaxInterval: number;
  /** `max_message_size` (bytes). */
  readonly maxMessageSize: number;
  /** `send_high_water_mark`, when the type declares it and it is set. */
  readonly sendHighWaterMark?: number;
  /** `receive_high_water_mark`, when the type declares it and it is set. */
  readonly receiveHighWaterMark?: number;
}

const INT32_MAX = 2 ** 31 - 1;

/** Reads the socket-option creation arguments of `context` (defaults for absent ones); a bad one is a ValidationError naming it. */
export function readSocketOptions(context: EndpointContext): SocketOptionValues {
  const values: Record<string, number> = {};
  for (const [name, option, min] of OPTIONS) values[option] = integerArgument(context, name, SOCKET_OPTION_DEFAULTS[name], min, INT32_MAX);
  for (const [name, option] of HIGH_WATER_MARKS) {
    if (context.creation[name] !== undefined) values[option] = integerArgument(context, name, ZMQ_DEFAULT_HIGH_WATER_MARK, 0, INT32_MAX);
  }
  return values as unknown as SocketOptionValues;
}

/** Sets `options` on `socket`; a high-water mark only where the socket kind has it (a Subscriber sends nothing). */
export function applySocketOptions(socket: Socket, options: SocketOptionValues): void {
  socket.heartbeatInterval = options.heartbeatInterval;
  socket.heartbeatTimeout = options.heartbeatTimeout;
  socket.reconnectInterval = options.reconnectInterval;
  socket.reconnectMaxInterval = options.reconnectMaxInterval;
  socket.maxMessageSize = options.maxMessageSize;
  Object.assign(socket, TCP_LIVENESS);
  const marks = socket as Socket & { sendHighWaterMark?: number; receiveHighWaterMark?: number };
  if (options.sendHighWaterMark !== undefined && 'sendHighWaterMark' in socket) marks.sendHighWaterMark = options.sendHighWaterMark;
  if (options.receiveHighWaterMark !== undefined && 'receiveHighWaterMark' in socket)
    marks.receiveHighWaterMark = options.receiveHighWaterMark;
}
