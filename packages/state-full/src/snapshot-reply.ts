import { decodeRequest, encodeReply } from '@sf/core/plugin';

/** How the codec starts a request frame (`{"args": …`) and a reply frame (`{"return_args": …`) of two keys. */
const REQUEST_HEAD = Uint8Array.of(0x82, 0xa4, ...Buffer.from('args'));
const REPLY_HEAD = Uint8Array.of(0x82, 0xab, ...Buffer.from('return_args'));

/**
 * The snapshot reply `{"return_args": value, "workflow_id": id}` of request frame
 * `{"args": value, "workflow_id": id}`: its head swapped, the value's bytes copied as they are
 * (decoding and encoding them again cost about 10 µs per Decimal key). A frame that does not
 * start as the codec writes one is decoded and encoded instead.
 */
export function replyOf(frame: Uint8Array): Uint8Array {
  if (!startsWith(frame, REQUEST_HEAD)) {
    const { args, workflow_id } = decodeRequest(frame);
    return encodeReply({ return_args: args, workflow_id });
  }
  const reply = new Uint8Array(REPLY_HEAD.length + frame.length - REQUEST_HEAD.length);
  reply.set(REPLY_HEAD, 0);
  reply.set(frame.subarray(REQUEST_HEAD.length), REPLY_HEAD.length);
  return reply;
}

function startsWith(bytes: Uint8Array, head: Uint8Array): boolean {
  if (bytes.length < head.length) return false;
  for (let i = 0; i < head.length; i++) if (bytes[i] !== head[i]) return false;
  return true;
}
