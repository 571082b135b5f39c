import { decodeRequest } from '@sf/core';
import { topicPrefix } from '@sf/core/plugin';
import { describe, expect, it } from 'vitest';
import { benchOrder, payloadSize, publicationFrame, replyFrame, requestFrame, stampedPublicationFrame, TOPIC } from './payload.js';

describe('bench payloads', () => {
  it('pad the order to the exact payload size asked for, the frame adding the envelope', () => {
    for (const size of [100, 10 * 1024, 1024 * 1024]) {
      const order = benchOrder(size);
      expect(payloadSize(order)).toBe(size);
      expect(publicationFrame(order).length - size).toBeLessThan(80);
    }
  });

  it('keep the order as it is without a size, and decode to the same arguments', () => {
    const order = benchOrder();
    expect(order.memo).toBeUndefined();
    const { args } = decodeRequest(requestFrame(order));
    expect({ ...args, price: String(args.price) }).toEqual({ ...order, price: '101.25' });
    expect(decodeRequest(publicationFrame(order), topicPrefix(TOPIC)).args.order_id).toBe(order.order_id);
    expect(replyFrame(order).length).toBeGreaterThan(0);
  });

  it('place sent_us where a raw sender can patch it as a float64', () => {
    const { frame, stampOffset } = stampedPublicationFrame(benchOrder());
    const patched = Buffer.from(frame);
    patched.writeDoubleBE(123456.789, stampOffset);
    expect(decodeRequest(patched, topicPrefix(TOPIC)).args.sent_us).toBe(123456.789);
  });
});
