import type { Decimal } from '@sf/core';
import { describe, expectTypeOf, it } from 'vitest';
import { type CallResult, testService } from '../src/index.js';
import pricer from './fixtures/pricer.js';

describe('testService types flow from the models', () => {
  it('types call, respond, sent, setState, states and config', async () => {
    const kit = await testService(pricer);
    expectTypeOf(kit.call('quote', { symbol: 'BTC' })).resolves.toEqualTypeOf<CallResult<{ price: Decimal; desk?: string }>>();
    // @ts-expect-error: no in connection 'qoute'
    void kit.call('qoute', { symbol: 'BTC' });
    // @ts-expect-error: symbol is a string
    void kit.call('quote', { symbol: 1 });
    kit.respond('rates', (args) => {
      expectTypeOf(args).toEqualTypeOf<{ currency: string }>();
      return { rate: {} as Decimal };
    });
    // @ts-expect-error: rates replies { rate: Decimal }
    kit.respond('rates', { price: 1 });
    expectTypeOf(kit.sent('quotes')[0]!.args).toEqualTypeOf<{ symbol: string; price: Decimal }>();
    expectTypeOf(kit.sentState('last_quote')[0]!.args).toEqualTypeOf<{ price: Decimal }>();
    await kit.setState('book', { mid: {} as Decimal });
    // @ts-expect-error: book's mid is a Decimal
    await kit.setState('book', { mid: 'x' });
    expectTypeOf(kit.states.book).toEqualTypeOf<{ mid: Decimal }>();
    expectTypeOf(kit.config.margin).toEqualTypeOf<string>();
  });
});
