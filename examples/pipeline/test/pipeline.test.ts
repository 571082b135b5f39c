import { Decimal } from '@sf/core';
import { testService } from '@sf/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import orderFeed from '../order-feed.js';
import pricer from '../pricer.js';
import riskCheck from '../risk-check.js';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('pricer', () => {
  it('replies price × quantity, exactly', async () => {
    const kit = await testService(pricer);
    expect(await kit.call('notional', { price: new Decimal('100.10'), quantity: 3 })).toMatchObject({
      ok: true,
      return_args: { notional: new Decimal('300.3') },
    });
  });
});

describe('risk-check', () => {
  it('asks the pricer for each order and flags notional above 500 for review', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const kit = await testService(riskCheck);
    kit.respond('notional', (args) => ({ notional: args.price.times(args.quantity) }));
    await kit.call('orders', { order_id: 'o-1', side: 'buy', price: new Decimal('100'), quantity: 3 });
    await kit.call('orders', { order_id: 'o-3', side: 'buy', price: new Decimal('99.95'), quantity: 7 });
    expect(kit.sent('notional').map((call) => call.args.quantity)).toEqual([3, 7]);
    expect(log.mock.calls.map(([line]) => line)).toEqual([
      'risk-check: o-1 notional 300 -> ok',
      'risk-check: o-3 notional 699.65 -> REVIEW',
    ]);
  });

  it('an order with an unknown side is rejected before the handler runs', async () => {
    const kit = await testService(riskCheck);
    const result = await kit.call('orders', { order_id: 'o-9', side: 'hold', price: new Decimal(1), quantity: 1 } as never);
    expect(result.error?.code).toBe('SF_VALIDATION_FAILED');
    expect(kit.sent('notional')).toEqual([]);
  });
});

describe('order-feed (leading edge)', () => {
  it('publishes its three orders, paced by timers', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const kit = await testService(orderFeed);
    vi.useFakeTimers();
    const done = kit.runMain();
    await vi.runAllTimersAsync();
    await done;
    expect(kit.sent('orders').map((call) => [call.args.order_id, call.args.side, call.args.price.toString()])).toEqual([
      ['o-1', 'buy', '100.1'],
      ['o-2', 'sell', '100.35'],
      ['o-3', 'buy', '99.95'],
    ]);
  });
});
