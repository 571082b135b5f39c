import { testService } from '@sf/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import canceller from '../canceller.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('canceller', () => {
  it('cancels each order through cancel_order and reports what the exchange answered', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const kit = await testService(canceller);
    kit.respond('cancel_order', (args) => ({ cancelled: !args.order_id.endsWith('-filled') }));
    await kit.runMain();
    expect(kit.sent('cancel_order').map((call) => call.args.order_id)).toEqual(['o-1', 'o-2-filled']);
    expect(log.mock.calls.map(([line]) => line)).toEqual(['canceller: o-1 cancelled', 'canceller: o-2-filled could not be cancelled']);
  });

  it('a reply that breaks the return model fails main with the validation error', async () => {
    const kit = await testService(canceller);
    kit.respond('cancel_order', { cancelled: 'yes' } as never);
    await expect(kit.runMain()).rejects.toMatchObject({ code: 'SF_VALIDATION_FAILED', message: expect.stringContaining('cancelled') });
  });
});
