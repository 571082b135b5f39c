import { Decimal } from '@sf/core';
import { testService } from '@sf/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import marketData from '../market-data.js';
import { level } from '../order-book.js';
import strategy from '../strategy.js';

const d = (text: string) => new Decimal(text);
const bids = { [level('100')]: d('1') };
const asks = { [level('101')]: d('2'), [level('102')]: d('3') };

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('market-data (leading edge)', () => {
  it('sends one snapshot per side, then deltas naming only the levels they change, then asks for a quote', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const kit = await testService(marketData);
    vi.useFakeTimers();
    kit.respond('quote', { mid: d('64000.5'), spread: d('0.5'), levels: 5 });
    const done = kit.runMain();
    await vi.runAllTimersAsync();
    await done;
    const bidUpdates = kit.sentState('bids');
    const askUpdates = kit.sentState('asks');
    expect(bidUpdates.map((call) => call.args.is_snapshot ?? false)).toEqual([true, false]);
    expect(askUpdates.map((call) => call.args.is_snapshot ?? false)).toEqual([true, false]);
    expect(askUpdates[1]?.args.state).toEqual({ '64000.75': d('0.4') });
    expect(bidUpdates[1]?.args.state).toEqual({ '64000.25': d('0.1'), '63999.50': null });
    expect(kit.sent('quote').map((call) => call.args)).toEqual([{ symbol: 'BTC' }]);
  });
});

describe('strategy', () => {
  it('on each side update logs its best price; quotes mid, spread and level count from the book', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const kit = await testService(strategy);
    await kit.setState('bids', bids);
    await kit.setState('asks', asks);
    expect(log).toHaveBeenCalledWith('strategy: best bid 100.00');
    expect(log).toHaveBeenCalledWith('strategy: best ask 101.00');
    const reply = await kit.call('quote', { symbol: 'BTC' });
    expect(reply).toMatchObject({ ok: true, return_args: { mid: d('100.5'), spread: d('1'), levels: 3 } });
  });

  it('a side that breaks the model is refused; a quote before any book is an error reply', async () => {
    const kit = await testService(strategy);
    await expect(kit.setState('bids', { [level('100')]: 'high' } as never)).rejects.toMatchObject({ code: 'SF_VALIDATION_FAILED' });
    const reply = await kit.call('quote', { symbol: 'BTC' });
    expect(reply.error?.code).toBe('SF_HANDLER_FAILED');
  });
});
