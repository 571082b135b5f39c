/**
 * The benchmark's messages, the same for the framework and its raw counterpart: the seed's
 * order-like arguments (a few strings, a Decimal, an int), optionally padded with a `memo` string
 * to a payload size, and the order's reply. A payload's size is the MessagePack size of its
 * `args`; the frame adds the envelope and the topic (about 70 bytes).
 */
import { Decimal, encodeReply, encodeRequest, encodeValue } from '@sf/core';
import { topicPrefix } from '@sf/core/plugin';

/** Required arguments of every benchmark message. */
export const ORDER_ARGS = { order_id: String, symbol: String, side: String, price: Decimal, quantity: Number };

/** Optional arguments: padding, and the sender's clock for one-way latency. */
export const ORDER_OPTIONAL_ARGS = { memo: String, sent_us: Number };

/** Return arguments of the request/reply cases. */
export const REPLY_ARGS = { order_id: String, status: String };

/** The pub/sub topic of every pub/sub case. */
export const TOPIC = 'orders';

/** An order message's arguments. */
export interface Order {
  order_id: string;
  symbol: string;
  side: string;
  price: Decimal;
  quantity: number;
  memo?: string;
  sent_us?: number;
}

/** A workflow id of the length the framework sends from `main` (`<uuid>_<n>`), so frame sizes match. */
export const SAMPLE_WORKFLOW_ID = '3f2b8a4e-9c1d-4e7a-8b6f-0a1b2c3d4e5f_1000';

/** The order; with `payloadBytes`, padded with a `memo` so its `args` encode to that many bytes. */
export function benchOrder(payloadBytes = 0): Order {
  const order: Order = { order_id: 'o-0001234', symbol: 'BTC-USD', side: 'buy', price: new Decimal('101.25'), quantity: 3 };
  if (payloadBytes <= 0) return order;
  const base = payloadSize({ ...order, memo: '' });
  if (payloadBytes <= base) return { ...order, memo: '' };
  // A str header grows from 1 to 2, 3 or 5 bytes with the length: aim, then correct once.
  let memoLength = payloadBytes - base;
  memoLength -= payloadSize({ ...order, memo: 'x'.repeat(memoLength) }) - payloadBytes;
  return { ...order, memo: 'x'.repeat(memoLength) };
}

/** The MessagePack size of the order's `args`. */
export function payloadSize(order: Order): number {
  return encodeValue({ ...order }).length;
}

/** The order's reply arguments. */
export function benchReply(order: Order): { order_id: string; status: string } {
  return { order_id: order.order_id, status: 'accepted' };
}

/** The publication frame the framework sends for `order`: `msgpack(topic)` + the request envelope. */
export function publicationFrame(order: Order, workflowId = SAMPLE_WORKFLOW_ID): Uint8Array {
  return encodeRequest({ args: { ...order }, workflow_id: workflowId }, topicPrefix(TOPIC));
}

/** The request frame a requester sends for `order` (no topic). */
export function requestFrame(order: Order, workflowId = SAMPLE_WORKFLOW_ID): Uint8Array {
  return encodeRequest({ args: { ...order }, workflow_id: workflowId });
}

/** The reply frame a replyer sends for `order`. */
export function replyFrame(order: Order, workflowId = SAMPLE_WORKFLOW_ID): Uint8Array {
  return encodeReply({ return_args: benchReply(order), workflow_id: workflowId });
}

/** A publication frame carrying `sent_us` as a float64, and the offset of those 8 bytes (the raw sender patches them). */
export function stampedPublicationFrame(order: Order): { frame: Uint8Array; stampOffset: number } {
  const frame = publicationFrame({ ...order, sent_us: 0.5 });
  const key = new TextEncoder().encode('sent_us');
  const at = indexOf(frame, [0xa0 + key.length, ...key, 0xcb]);
  if (at < 0) throw new Error('sent_us is not encoded as a float64 in the publication frame');
  return { frame, stampOffset: at + key.length + 2 };
}

function indexOf(haystack: Uint8Array, needle: number[]): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
