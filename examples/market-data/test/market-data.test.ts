import { Decimal } from '@sf/core';
import { testService } from '@sf/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import marketData from '../market-data.js';
import strategy from '../strategy.js';

const d = (text: string) => new Decimal(text);
const book = { best_bid: d('100'), best_ask: d('101'), bids: { '100': d('1') }, asks: { '101': d('2'), '102': d('3') } };

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('market-data (leading edge)', () => {
  it('sends a snapshot, then two deltas, then asks for a quote (its pauses driven by fake timers)', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const kit = await testService(marketData);
    vi.useFakeTimers();
    kit.respond('quote', { mid: d('64000.5'), spread: d('0.5'), levels: 4 });
    const done = kit.runMain();
    await vi.runAllTimersAsync();
    await done;
    const updates = kit.sentState('order_book');
    expect(updates.map((call) => call.args.is_snapshot ?? false)).toEqual([true, false, false]);
    expect(updates[1]?.args.state.best_ask).toEqual(d('64000.75'));
    expect(kit.sent('quote').map((call) => call.args)).toEqual([{ symbol: 'BTC' }]);
  });
});

describe('strategy', () => {
  it('on each book update logs the spread; quotes mid, spread and level count from the book', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const kit = await testService(strategy);
    await kit.setState('order_book', book);
    expect(log).toHaveBeenCalledWith('strategy: book updated, spread 1');
    const reply = await kit.call('quote', { symbol: 'BTC' });
    expect(reply).toMatchObject({ ok: true, return_args: { mid: d('100.5'), spread: d('1'), levels: 3 } });
  });

  it('a book that breaks the model is refused; a quote before any book is an error reply', async () => {
    const kit = await testService(strategy);
    await expect(kit.setState('order_book', { ...book, best_bid: 'high' } as never)).rejects.toMatchObject({ code: 'SF_VALIDATION_FAILED' });
    const reply = await kit.call('quote', { symbol: 'BTC' });
    expect(reply.error?.code).toBe('SF_HANDLER_FAILED');
  });
});
