import { Decimal } from '@sf/core';
import { testService } from '@sf/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import receiver from '../receiver.js';
import sender from '../sender.js';

afterEach(() => {
  vi.restoreAllMocks();
});

// The ndjson_in / ndjson_out types come from sf-conn-ndjson-tcp, found in this project's
// package.json as `sf run` finds them; the testkit keeps their declarations and opens no socket.
describe('receiver and sender over a third-party connection type', () => {
  it('the receiver keeps a running total of the prices it gets', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const kit = await testService(receiver);
    await kit.call('prices', { symbol: 'BTC', price: new Decimal('0.1') });
    await kit.call('prices', { symbol: 'ETH', price: new Decimal('0.2') });
    expect(log.mock.calls.at(-1)?.[0]).toMatch(/^receiver: ETH at 0\.2, total \d+(\.\d+)?$/);
    expect((await kit.call('prices', { symbol: 'SOL' } as never)).error?.code).toBe('SF_VALIDATION_FAILED');
  });

  it('the sender sends three prices from main', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const kit = await testService(sender);
    await kit.runMain();
    expect(kit.sent('prices').map((call) => `${call.args.symbol} ${call.args.price}`)).toEqual(['BTC 0.1', 'ETH 0.2', 'SOL 0.3']);
  });
});
