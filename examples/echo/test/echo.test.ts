import { testService } from '@sf/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import replyer from '../replyer.js';
import requester from '../requester.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('echo replyer', () => {
  it('answers with the text upper-cased and a count that goes up', async () => {
    const kit = await testService(replyer);
    const first = await kit.call('echo', { text: 'hello' });
    expect(first).toMatchObject({ ok: true, return_args: { text: 'HELLO' } });
    const second = await kit.call('echo', { text: 'again' });
    expect(second.return_args?.count).toBe((first.return_args?.count ?? 0) + 1);
  });

  it('a request without text gets the validation error reply, naming the argument', async () => {
    const kit = await testService(replyer);
    const reply = await kit.call('echo', {} as never);
    expect(reply.error).toMatchObject({ type: 'ValidationError', code: 'SF_VALIDATION_FAILED', message: expect.stringContaining('text') });
  });
});

describe('echo requester', () => {
  it('main sends each word of the words config and prints each reply', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const kit = await testService(requester, { extra: { words: 'ping pong' } });
    kit.respond('echo', (args, call) => ({ text: args.text.toUpperCase(), count: kit.sent('echo').indexOf(call) + 1 }));
    await kit.runMain();
    expect(kit.sent('echo').map((call) => call.args)).toEqual([{ text: 'ping' }, { text: 'pong' }]);
    expect(log.mock.calls.map(([line]) => line)).toEqual(["echo: sent 'ping', got 'PING' (#1)", "echo: sent 'pong', got 'PONG' (#2)"]);
  });
});
