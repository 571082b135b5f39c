import { compileModel, Decimal, mapOf, nullable, oneOf, optional } from '@sf/core';
import { describe, expect, it } from 'vitest';
import { compareModels } from './model-compat.js';

const node = (required: object, optionalArgs: object = {}) =>
  compileModel({ required: required as never, optional: optionalArgs as never }, { root: 'args' }).node;
const paths = (sender: object, receiver: object, senderOptional: object = {}, receiverOptional: object = {}) =>
  compareModels(node(sender, senderOptional), node(receiver, receiverOptional)).map((mismatch) => `${mismatch.path}: ${mismatch.what}`);

describe('compareModels', () => {
  it('accepts equal models, and a sender that fills an optional key', () => {
    expect(paths({ price: Decimal, book: mapOf(Decimal, Decimal) }, { price: Decimal, book: mapOf(Decimal, Decimal) })).toEqual([]);
    expect(paths({ price: Decimal, note: String }, { price: Decimal }, {}, { note: String })).toEqual([]);
  });

  it('finds a required key the sender never sends, or only may send', () => {
    expect(paths({}, { price: Decimal })).toEqual(["args.price: required 'price' (Decimal) is never sent"]);
    expect(paths({}, { price: Decimal }, { price: Decimal })).toEqual([
      "args.price: required 'price' is optional on the sender, so it may be missing",
    ]);
  });

  it('finds keys the receiver does not know, in nested models too', () => {
    expect(paths({ order: { id: String, extra: Number } }, { order: { id: String } })).toEqual([
      "args.order.extra: 'extra' is sent but the receiver does not know it (unknown keys are refused)",
    ]);
  });

  it('compares literals, nullables and map values', () => {
    expect(paths({ side: oneOf('buy', 'sell') }, { side: String })).toEqual([]);
    expect(paths({ side: oneOf('buy', 'hold') }, { side: oneOf('buy', 'sell') })).toEqual([
      `args.side: the sender may send "hold", which the receiver (one of 'buy' | 'sell') refuses`,
    ]);
    expect(paths({ note: nullable(String) }, { note: String })).toEqual([
      'args.note: the sender may send null, the receiver expects String',
    ]);
    expect(paths({ note: String }, { note: nullable(String) })).toEqual([]);
    expect(paths({ book: mapOf(String, Number) }, { book: mapOf(String, Decimal) })).toEqual([
      'args.book<value>: the sender sends Number, the receiver expects Decimal',
    ]);
  });

  it('compares top-level mapOf(K, V) models: keys, values, at least one entry', () => {
    const book = mapOf(Decimal, Decimal);
    expect(paths(book, book)).toEqual([]);
    expect(paths({}, {}, book, book)).toEqual([]);
    expect(paths({}, {}, mapOf(Decimal, Number), book)).toEqual(['args<value>: the sender sends Number, the receiver expects Decimal']);
    expect(paths({}, {}, mapOf(String, Decimal), book)).toEqual(['args<key>: the sender sends String, the receiver expects Decimal']);
    expect(paths({}, book, book)).toEqual(['args: the receiver requires at least one entry, the sender may send none']);
  });

  it('compares a top-level map with declared keys, both ways', () => {
    expect(paths({ '64000': Decimal }, {}, { '1.5': Number }, mapOf(Decimal, Decimal))).toEqual([
      'args.1.5: the sender sends Number, the receiver expects Decimal',
    ]);
    expect(paths({ best: Decimal }, {}, {}, mapOf(Decimal, Decimal))).toEqual([
      "args.best: 'best' is sent but the receiver's keys are Decimal, which 'best' is not",
    ]);
    expect(paths({}, mapOf(String, Decimal), { bid: Decimal })).toEqual([
      'args: the receiver requires at least one entry, the sender may send none (all its keys are optional)',
    ]);
    expect(paths({}, { bid: Decimal }, mapOf(String, Decimal))).toEqual([
      'args: the sender sends an object of String keys (as text) to Decimal, any such key; ' +
        "the receiver declares its keys by name ('bid') and refuses others",
    ]);
    expect(paths({}, {}, mapOf(oneOf('bid', 'ask'), Decimal), { bid: Decimal, ask: Decimal })).toEqual([]);
    expect(paths({}, { bid: Decimal }, mapOf(oneOf('bid', 'ask'), Decimal))).toEqual([
      "args.bid: required 'bid' is optional on the sender, so it may be missing",
      "args.ask: 'ask' is sent but the receiver does not know it (unknown keys are refused)",
    ]);
  });

  it('treats optional(T) inside a nested model like an optional key', () => {
    expect(paths({ order: { id: String, note: optional(String) } }, { order: { id: String, note: String } })).toEqual([
      "args.order.note: required 'note' is optional on the sender, so it may be missing",
    ]);
  });
});
