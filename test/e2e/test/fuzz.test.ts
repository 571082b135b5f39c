import { decodeReply, decodeRequest, encodeRequest } from '@sf/core';
import { describe, expect, it } from 'vitest';
import { FrameFuzzer, type FuzzMessage, packRaw, Raw, rssKb, type SfProcess } from '../src/index.js';
import { useE2eHooks } from './helpers/hooks.js';
import { probeOf, startRig, until, useRigCleanup } from './helpers/target-rig.js';

const temp = useE2eHooks();

/** Messages per target: 100 000 in all. */
const COUNTS = { echo: 40_000, feed: 30_000, book: 30_000 } as const;
/** The share of each stream sent before the memory baseline is taken (warm-up). */
const WARM_UP = 0.05;
/** Allowed RSS growth of the target between the warm-up and the end, in MB. */
const MAX_RSS_GROWTH_MB = 64;
/** Allowed RSS growth over the second half of the frames, in MB: memory levels off rather than growing per frame. */
const MAX_SECOND_HALF_GROWTH_MB = 32;
const SEED = 0x5f_2026;

const EC = 'connection_models.in.echo';
const FEED = 'connection_models.in.feed';
const BOOK = 'state_models.in.book';

const validEcho = (n: number) => encodeRequest({ args: { n, text: `t${n}` }, workflow_id: `w${n}` });
const validFeed = (n: number) => encodeRequest({ args: { n, text: `f${n}` }, workflow_id: null });
const validBook = (n: number) =>
  encodeRequest({ args: { state: { price: n % 97, qty: n % 13 }, is_snapshot: n % 50 === 0, current_num: n }, workflow_id: null });

function decodes(frame: Uint8Array): boolean {
  try {
    decodeRequest(frame);
    return true;
  } catch {
    return false;
  }
}

useRigCleanup();

/** The totals the target logged at shutdown (`rejected inbound messages while running`). */
function rejectedSummary(target: SfProcess): Record<string, Record<string, number>> {
  const line = target.lines.find((text) => text.includes('rejected inbound messages while running'));
  expect(line, target.output().slice(-3000)).toBeDefined();
  return JSON.parse(line!.slice(line!.indexOf('{'))).rejected;
}

/** Rejection log lines by model and reason: how many lines, and how many rejections they account for (each line one, plus its `not_logged`). */
function rejectionLines(target: SfProcess): Record<string, Record<string, { lines: number; covered: number }>> {
  const counts: Record<string, Record<string, { lines: number; covered: number }>> = {};
  for (const line of target.lines) {
    const reason = line.match(/"reason":"([a-z_]+)"/)?.[1];
    if (reason === undefined || !/\bWARN\b/.test(line)) continue;
    const model = line.match(/"(?:from|model)":"([^"]+)"/)?.[1] ?? '?';
    const held = Number(line.match(/"not_logged":(\d+)/)?.[1] ?? 0);
    counts[model] ??= {};
    counts[model][reason] ??= { lines: 0, covered: 0 };
    const entry = counts[model][reason];
    entry.lines += 1;
    entry.covered += 1 + held;
  }
  return counts;
}

/**
 * The log lines agree with the counts: every reason counted has a line, the lines are throttled
 * (REJECT_LOG_LINES = 5 per endpoint and reason per 10 s window), and they never account for more
 * rejections than were counted.
 */
function expectThrottledLines(target: SfProcess, counted: Record<string, Record<string, number>>, windows: number): void {
  const lines = rejectionLines(target);
  expect(Object.keys(lines).sort()).toEqual(Object.keys(counted).sort());
  for (const [model, reasons] of Object.entries(counted)) {
    expect(Object.keys(lines[model]!).sort(), model).toEqual(Object.keys(reasons).sort());
    for (const [reason, count] of Object.entries(reasons)) {
      const { lines: written, covered } = lines[model]![reason]!;
      expect(written, `${model} ${reason}`).toBeGreaterThanOrEqual(1);
      expect(written, `${model} ${reason}`).toBeLessThanOrEqual(Math.min(count, 5 * windows));
      expect(covered, `${model} ${reason}`).toBeLessThanOrEqual(count);
    }
  }
}

/** Sends `count` messages of `fuzzer` through `send`, from message `from` on; calls `seen` with each. */
async function pump(fuzzer: FrameFuzzer, from: number, to: number, send: (message: FuzzMessage) => Promise<void>): Promise<void> {
  for (let i = from; i < to; i += 1) await send(fuzzer.next());
}

/** One of each kind of hostile frame, with the error reply a replyer gives it. */
function catalogue(): { name: string; frame: Uint8Array; error: 'DecodeError' | 'ValidationError' }[] {
  const deep = new Uint8Array(100_001).fill(0x91);
  deep[100_000] = 0xc0;
  return [
    { name: 'random bytes', frame: Uint8Array.from([0xc1, 0xff, 0x00, 0x13]), error: 'DecodeError' },
    { name: 'truncated', frame: validEcho(1).subarray(0, 10), error: 'DecodeError' },
    {
      name: '100 000 levels deep',
      frame: packRaw({ args: { n: 1, text: 'a', deep: new Raw(deep) }, workflow_id: null }),
      error: 'DecodeError',
    },
    { name: 'not a map', frame: packRaw(42), error: 'DecodeError' },
    { name: 'a map without args', frame: packRaw({ arg: { n: 1, text: 'a' } }), error: 'DecodeError' },
    { name: 'args not a map', frame: packRaw({ args: 'n' }), error: 'DecodeError' },
    { name: 'workflow_id not a string', frame: packRaw({ args: { n: 1, text: 'a' }, workflow_id: 7 }), error: 'DecodeError' },
    { name: 'array of 2^32-1 items claimed', frame: Buffer.from('ddffffffff00', 'hex'), error: 'DecodeError' },
    {
      name: '4 GB string claimed inside args',
      frame: packRaw({ args: { n: 1, text: new Raw(Buffer.from('dbffffffff61', 'hex')) } }),
      error: 'DecodeError',
    },
    { name: 'bad decimal marker', frame: packRaw({ args: { n: 1, text: { __decimal__: true, as_str: 'x' } } }), error: 'DecodeError' },
    { name: 'bad set marker', frame: packRaw({ args: { n: 1, text: { __set__: true, value: 'ab' } } }), error: 'DecodeError' },
    { name: 'extension type', frame: Buffer.from('d40501', 'hex'), error: 'DecodeError' },
    {
      name: 'a 2 MB string where a number goes',
      frame: packRaw({ args: { n: 'x'.repeat(2 * 1024 * 1024), text: 'a' }, workflow_id: 'big' }),
      error: 'ValidationError',
    },
    {
      name: 'unknown marker-like map',
      frame: packRaw({ args: { n: 1, text: 'a', m: { __unknown__: true } }, workflow_id: 'odd' }),
      error: 'ValidationError',
    },
  ];
}

describe('hostile frames against a running replyer, subscriber and delta in-state', () => {
  it('one of each kind: an error reply where one is due, logged (throttled) with its reason, counted; valid messages still served', async () => {
    const rig = await startRig(temp);
    const { target, echo, feed, book } = rig;
    const frames = catalogue();
    for (const { frame } of frames) await echo.send(frame);
    for (const { frame } of frames) await feed.send(frame);
    for (const { frame } of frames) await book.send(frame);
    await feed.send([validFeed(1), validFeed(2)]);
    await book.send([validBook(1), validBook(2)]);
    await echo.drained(15_000);
    frames.forEach(({ name, error }, index) => {
      const reply = decodeReply(echo.replies[index]!);
      expect(reply.return_args, name).toBeNull();
      expect(reply.error?.type, name).toBe(error);
    });
    expect(decodeReply(echo.replies[12]!).error?.message.length).toBeLessThan(2000);

    await echo.send(validEcho(5));
    await feed.send(validFeed(5));
    await echo.drained(5000);
    expect(decodeReply(echo.replies.at(-1)!)).toEqual({ return_args: { n: 5, text: 't5' }, workflow_id: 'w5' });
    await until(
      () => probeOf(rig),
      (probe) => probe.feed === 5,
      'the valid feed message',
    );
    // Throttled: the book's 14 undecodable frames log 5 lines; its multi-part message logs its own.
    const bookRejections = async () => target.lines.filter((line) => line.includes(`"model":"${BOOK}","reason":`)).length;
    await until(bookRejections, (count) => count === 5 + 1, 'book rejections');

    expect(await target.stop('SIGTERM'), target.output()).toBe(0);
    const decodeErrors = frames.filter((entry) => entry.error === 'DecodeError').length;
    const expected = {
      [EC]: { undecodable: decodeErrors, bad_arguments: frames.length - decodeErrors },
      [FEED]: { undecodable: decodeErrors, bad_arguments: frames.length - decodeErrors, not_one_frame: 1 },
      [BOOK]: { undecodable: frames.length, not_one_frame: 1 },
    };
    expect(rejectedSummary(target)).toEqual(expected);
    expectThrottledLines(target, expected, 1);
  });

  it('100 000 generated and mutated frames: each rejected one counted (log lines throttled), error replies where due, everything still served, memory bounded', {
    timeout: 180_000,
  }, async () => {
    const rig = await startRig(temp);
    const { target, echo, feed, book } = rig;
    const pid = target.child.pid!;
    const fuzz = {
      echo: new FrameFuzzer(SEED, validEcho),
      feed: new FrameFuzzer(SEED + 1, validFeed, true),
      book: new FrameFuzzer(SEED + 2, validBook, true),
    };

    // What the test knows of each echo request: whether it decodes, and the reply a valid one gets.
    const echoSent: { decodes: boolean; valid?: number }[] = [];
    const tally = {
      feedUndecodable: 0,
      feedDecodable: 0,
      feedMultipart: 0,
      bookUndecodable: 0,
      bookMultipart: 0,
      kinds: new Map<string, number>(),
    };
    const sendEcho = async ({ frames: [frame], kind }: FuzzMessage) => {
      tally.kinds.set(kind, (tally.kinds.get(kind) ?? 0) + 1);
      echoSent.push({ decodes: decodes(frame!), valid: kind === 'valid' ? echoSent.length + 1 : undefined });
      await echo.send(frame!);
    };
    const sendFeed = async ({ frames, kind }: FuzzMessage) => {
      tally.kinds.set(kind, (tally.kinds.get(kind) ?? 0) + 1);
      if (frames.length > 1) tally.feedMultipart += 1;
      else if (decodes(frames[0]!)) tally.feedDecodable += 1;
      else tally.feedUndecodable += 1;
      await feed.send(frames);
    };
    const sendBook = async ({ frames, kind }: FuzzMessage) => {
      tally.kinds.set(kind, (tally.kinds.get(kind) ?? 0) + 1);
      if (frames.length > 1) tally.bookMultipart += 1;
      else if (!decodes(frames[0]!)) tally.bookUndecodable += 1;
      await book.send(frames);
    };
    const phase = async (share: [number, number]) => {
      const span = (count: number) => [Math.round(count * share[0]), Math.round(count * share[1])] as const;
      await Promise.all([
        pump(fuzz.echo, ...span(COUNTS.echo), sendEcho),
        pump(fuzz.feed, ...span(COUNTS.feed), sendFeed),
        pump(fuzz.book, ...span(COUNTS.book), sendBook),
      ]);
      await echo.drained(30_000);
    };

    const started = Date.now();
    await phase([0, WARM_UP]);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const rssBefore = rssKb(pid);
    await phase([WARM_UP, 0.5]);
    const rssHalfway = rssKb(pid);
    await phase([0.5, 1]);
    const sentAt = Date.now();

    // Everything still served: a valid request, a valid publication, a published snapshot then a delta.
    await echo.send(validEcho(999_999));
    await echo.drained(10_000);
    expect(decodeReply(echo.replies.at(-1)!)).toEqual({ return_args: { n: 999_999, text: 't999999' }, workflow_id: 'w999999' });
    await feed.send(validFeed(999_999));
    const fed = await until(
      () => probeOf(rig),
      (probe) => probe.feed === 999_999,
      'the last feed message',
    );
    const big = 1_000_000_000;
    rig.snapshots.current = { state: { price: 42, qty: 7 }, num: big };
    await book.send(encodeRequest({ args: { state: { price: 42, qty: 7 }, is_snapshot: true, current_num: big }, workflow_id: 'final' }));
    await book.send(
      encodeRequest({ args: { state: { note: 'final' }, is_snapshot: false, current_num: big + 1 }, workflow_id: 'final-2' }),
    );
    await until(
      () => probeOf(rig),
      (probe) => probe.book.includes('final'),
      'the book after the final delta',
    );
    expect(JSON.parse((await probeOf(rig)).book)).toEqual({ price: 42, qty: 7, note: 'final' });

    // Memory: after a pause, RSS is within a bound of what it was after the warm-up.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const rssAfter = rssKb(pid);
    const mb = (kb: number) => Math.round(kb / 102.4) / 10;
    const stats = {
      seconds: (sentAt - started) / 1000,
      rssMb: [mb(rssBefore), mb(rssHalfway), mb(rssAfter)],
      kinds: Object.fromEntries(tally.kinds),
      snapshots: rig.snapshots.answered,
    };
    console.info(`fuzz: ${JSON.stringify(stats)}`);
    expect(rssAfter - rssBefore, JSON.stringify(stats)).toBeLessThan(MAX_RSS_GROWTH_MB * 1024);
    expect(rssAfter - rssHalfway, JSON.stringify(stats)).toBeLessThan(MAX_SECOND_HALF_GROWTH_MB * 1024);

    // Every echo request got one reply, in order: an error reply for each rejected one.
    expect(echo.replies).toHaveLength(COUNTS.echo + 1);
    let echoBadArguments = 0;
    echoSent.forEach((sent, index) => {
      const reply = decodeReply(echo.replies[index]!);
      if (!sent.decodes)
        expect(reply, `echo request ${index + 1}`).toMatchObject({ return_args: null, workflow_id: null, error: { type: 'DecodeError' } });
      else if (sent.valid !== undefined) expect(reply.return_args).toEqual({ n: sent.valid, text: `t${sent.valid}` });
      if (sent.decodes && reply.error !== undefined) {
        expect(reply.error.type, `echo request ${index + 1}`).toBe('ValidationError');
        echoBadArguments += 1;
      }
    });
    const echoUndecodable = echoSent.filter((sent) => !sent.decodes).length;

    // At shutdown the totals are logged; they match what was sent, and each rejection was logged once.
    expect(await target.stop('SIGTERM', 30_000), target.output().slice(-3000)).toBe(0);
    const summary = rejectedSummary(target);
    expect(summary[EC]).toEqual({ undecodable: echoUndecodable, bad_arguments: echoBadArguments });
    const feedBadArguments = tally.feedDecodable + 1 - fed.feeds;
    expect(summary[FEED]).toEqual({
      undecodable: tally.feedUndecodable,
      not_one_frame: tally.feedMultipart,
      ...(feedBadArguments > 0 && { bad_arguments: feedBadArguments }),
    });
    const bookRejected = summary[BOOK] ?? {};
    expect(bookRejected.not_one_frame ?? 0).toBe(tally.bookMultipart);
    expect(bookRejected.undecodable ?? 0).toBeGreaterThanOrEqual(tally.bookUndecodable);
    expect(Object.values(bookRejected).reduce((sum, count) => sum + count, 0)).toBeLessThanOrEqual(COUNTS.book);
    expect(Object.keys(summary).sort()).toEqual([BOOK, EC, FEED].sort());
    expectThrottledLines(target, summary, Math.ceil((Date.now() - started) / 10_000) + 1);
  });
});
