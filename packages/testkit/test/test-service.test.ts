import { join } from 'node:path';
import { Decimal, PublicError, RemoteError, RequestTimeoutError } from '@sf/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testService } from '../src/index.js';
import { loopPlugin, loopStates } from './fixtures/loop-plugin.js';
import pricer from './fixtures/pricer.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const plugins = [loopPlugin(), loopStates];
const load = () => testService(pricer, { plugins, extra: { margin: '0.5' } });

afterEach(() => {
  vi.useRealTimers();
});

describe('testService: call', () => {
  it("runs the handler through the real checks and returns the validated reply; to_send calls are recorded with the runner's workflow ids", async () => {
    const kit = await load();
    kit.respond('rates', (args) => ({ rate: new Decimal(args.currency === 'EUR' ? '1.25' : '0') }));
    const reply = await kit.call('quote', { symbol: 'BTC' }, { workflowId: 'wf-test' });
    expect(reply).toEqual({ ok: true, return_args: { price: new Decimal('1.25'), desk: 'desk-0.5' }, workflow_id: 'wf-test' });
    expect(kit.sent('rates')).toEqual([{ args: { currency: 'EUR' }, workflow_id: 'wf-test', reply: { rate: new Decimal('1.25') } }]);
    const [quote] = kit.sent('quotes');
    expect(quote?.args).toEqual({ symbol: 'BTC', price: new Decimal('1.25') });
    // The second and third to_send of the call carry the runner's numbered ids (core's own rule).
    expect(quote?.workflow_id).toMatch(/^wf-test_\d+$/);
    expect(kit.sentState('last_quote')[0]?.workflow_id).toMatch(/^wf-test_\d+$/);
    expect(kit.sentState('last_quote')[0]?.workflow_id).not.toBe(quote?.workflow_id);
  });

  it('answers bad args, a throwing handler, a PublicError and a bad return with the error reply a peer gets', async () => {
    const kit = await load();
    kit.respond('rates', { rate: new Decimal(1) });
    const badArgs = await kit.call('quote', { symbol: 42 } as never);
    expect(badArgs).toMatchObject({ ok: false, return_args: null, error: { type: 'ValidationError', code: 'SF_VALIDATION_FAILED' } });
    expect(badArgs.error?.message).toContain('args.symbol');
    const thrown = await kit.call('quote', { symbol: 'SECRET' });
    expect(thrown.error).toEqual({ type: 'HandlerError', code: 'SF_HANDLER_FAILED', message: expect.stringContaining(thrown.workflow_id) });
    expect(thrown.error?.message).not.toContain('/srv/db');
    expect((thrown as { cause: Error }).cause.message).toBe('database at /srv/db refused');
    expect((await kit.call('quote', { symbol: 'NONE' })).error).toEqual({
      type: 'PublicError',
      code: 'UNKNOWN_SYMBOL',
      message: 'no such symbol',
    });
    const badReturn = await kit.call('quote', { symbol: 'BAD' });
    expect(badReturn.error?.code).toBe('SF_HANDLER_FAILED');
    expect(String((badReturn as { cause: Error }).cause)).toContain('return_args.price');
  });

  it('a subscriber: ok, or the error it logged for bad args and a throwing handler', async () => {
    const kit = await load();
    expect(await kit.call('ticks', { n: 1 })).toMatchObject({ ok: true, return_args: {} });
    expect((await kit.call('ticks', { n: 'x' } as never)).error?.code).toBe('SF_VALIDATION_FAILED');
    const thrown = await kit.call('ticks', { n: -1 });
    expect(thrown.error?.code).toBe('SF_HANDLER_FAILED');
    expect((thrown as { cause: Error }).cause.message).toBe('negative tick');
    expect(
      kit.logs.some(
        (entry) => entry.level === 'warn' && entry.msg === 'the handler threw' && entry.fields.workflow_id === thrown.workflow_id,
      ),
    ).toBe(true);
  });

  it('names the models there are when a name is wrong', async () => {
    const kit = await load();
    await expect(kit.call('qoute' as never, {} as never)).rejects.toMatchObject({
      code: 'SF_TESTKIT_UNKNOWN_MODEL',
      hint: 'Its connection_models.in models are: quote, ticks',
      // Given as an object: no made-up file name such as <cwd>/service.ts.
      location: { service: 'the service object given to testService' },
    });
    const named = await testService(pricer, { plugins, extra: { margin: '0.5' }, file: 'pricer.ts' });
    await expect(named.call('qoute' as never, {} as never)).rejects.toMatchObject({
      location: { service: join(process.cwd(), 'pricer.ts') },
    });
    const fromFile = await testService(join(fixtures, 'pricer.ts'), { plugins, extra: { margin: '0.5' } });
    await expect(fromFile.call('qoute' as never, {} as never)).rejects.toMatchObject({
      location: { service: join(fixtures, 'pricer.ts') },
    });
    expect(() => kit.respond('rate' as never, {} as never)).toThrow(/no connection_models.out.rate/);
  });
});

describe('testService: scripted out connections', () => {
  it('an error reply from the scripted peer reaches the handler as RemoteError; fail() as the transport error itself', async () => {
    const kit = await load();
    kit.respond('rates', () => {
      throw new PublicError('rates are closed', { code: 'CLOSED' });
    });
    const remote = await kit.call('quote', { symbol: 'X' });
    expect((remote as { cause: unknown }).cause).toBeInstanceOf(RemoteError);
    expect((remote as { cause: RemoteError }).cause.message).toContain('rates are closed');
    kit.fail('rates', new RequestTimeoutError('no reply from rates', 5000));
    expect(((await kit.call('quote', { symbol: 'X' })) as { cause: unknown }).cause).toBeInstanceOf(RequestTimeoutError);
    expect(kit.sent('rates').at(-1)?.error).toBeInstanceOf(RequestTimeoutError);
  });

  it('without a script, a replying out connection fails with a hint to call respond()', async () => {
    const kit = await load();
    const result = await kit.call('quote', { symbol: 'X' });
    expect((result as { cause: unknown }).cause).toMatchObject({
      code: 'SF_TESTKIT_NO_REPLY',
      hint: expect.stringContaining("respond('rates'"),
    });
  });

  it('a delayed reply under fake timers: nothing until the clock moves', async () => {
    vi.useFakeTimers();
    const kit = await load();
    kit.respond('rates', { rate: new Decimal(2) }, { delayMs: 60_000 });
    let settled = false;
    const pending = kit.call('quote', { symbol: 'X' }).then((reply) => {
      settled = true;
      return reply;
    });
    await vi.advanceTimersByTimeAsync(59_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect((await pending).return_args).toEqual({ price: new Decimal(2), desk: 'desk-0.5' });
  });
});

describe('testService: states, config, main', () => {
  it('setState checks the value, makes it visible to handlers and runs on_update', async () => {
    const kit = await load();
    await kit.setState('book', { mid: new Decimal(10) });
    expect(kit.states.book).toEqual({ mid: new Decimal(10) });
    expect(kit.sent('quotes').at(-1)?.args).toEqual({ symbol: 'book', price: new Decimal(10) });
    kit.respond('rates', { rate: new Decimal(1) });
    expect((await kit.call('quote', { symbol: 'X' })).return_args?.price).toEqual(new Decimal(11));
    await expect(kit.setState('book', { mid: 'ten' } as never)).rejects.toMatchObject({ code: 'SF_VALIDATION_FAILED' });
    await expect(kit.setState('book', { mid: new Decimal(-1) })).rejects.toThrow('negative mid');
  });

  it('builds the config as sf run does: file, then pairs, then setup_config, checked against config_model', async () => {
    const kit = await testService(pricer, { plugins, cwd: fixtures, config: 'pricer.config.json', extra: { desk: 'override' } });
    expect(kit.config).toMatchObject({ margin: '0.5', desk: 'desk-0.5' });
    await expect(testService(pricer, { plugins })).rejects.toMatchObject({
      code: 'SF_VALIDATION_FAILED',
      message: expect.stringContaining('margin'),
    });
  });

  it('loads a service file and runs its main', async () => {
    const kit = await testService(join(fixtures, 'leading.ts'), { plugins });
    await kit.runMain();
    expect(kit.sent('ticks').map((call) => call.args)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    const id = kit.sent('ticks')[0]?.workflow_id;
    expect(kit.sent('ticks')[1]?.workflow_id).toMatch(new RegExp(`^${id}_\\d+$`));
  });
});
