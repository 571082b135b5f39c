import { Decimal } from '@sf/core';
import { testService } from '@sf/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import btcWatcher from '../btc-watcher.js';
import ethWatcher from '../eth-watcher.js';
import publisher from '../publisher.js';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('publisher (leading edge)', () => {
  it('publishes one BTC tick, one ETH tick and one news item per round (rounds from the command line)', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const kit = await testService(publisher, { extra: { rounds: '2' } });
    vi.useFakeTimers();
    const done = kit.runMain();
    await vi.runAllTimersAsync();
    await done;
    expect(kit.sent('btc_ticks').map((call) => call.args.price)).toEqual([new Decimal('64001.25'), new Decimal('64002.25')]);
    expect(kit.sent('eth_ticks')).toHaveLength(2);
    expect(kit.sent('news').map((call) => call.args.headline)).toEqual(['round 1 published', 'round 2 published']);
  });
});

describe('watchers', () => {
  it('print each tick and news item they get', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const btc = await testService(btcWatcher);
    const eth = await testService(ethWatcher);
    expect((await btc.call('btc_ticks', { symbol: 'BTC', price: new Decimal('64001.254') })).ok).toBe(true);
    await btc.call('news', { headline: 'halving' });
    await eth.call('eth_ticks', { symbol: 'ETH', price: new Decimal('3101.1') });
    expect(log.mock.calls.map(([line]) => line)).toEqual([
      'btc-watcher: BTC at 64001.25',
      "btc-watcher: news 'halving'",
      'eth-watcher: ETH at 3101.10',
    ]);
  });

  it('a tick without a price is dropped with the validation error logged', async () => {
    const btc = await testService(btcWatcher);
    const result = await btc.call('btc_ticks', { symbol: 'BTC' } as never);
    expect(result.error).toMatchObject({ code: 'SF_VALIDATION_FAILED', message: expect.stringContaining('price') });
  });
});
