import { decodeReply, type Plugin } from '@sf/core/plugin';
import type { PairAddresses, PeerPair, Settled } from './options.js';
import { type } from './options.js';
import { CheckFailure, type Cleanups, echo, type InSide, message, openIn, openOut, returned, waitFor, within } from './sides.js';

/** What a pair check gets: the plugin, the pair, fresh addresses and the check's cleanups. */
export interface PairRun {
  plugin: Plugin;
  pair: PeerPair;
  addresses: PairAddresses;
  options: Settled;
  cleanups: Cleanups;
}

const GARBAGE = Uint8Array.from([0xc1, 0xc1, 0xff, 0x00, 0x13]);
const ROUNDS = 20;

/** Opens both sides, in first (the usual binding side), and waits until a message gets through. */
async function connected(run: PairRun): Promise<{ inSide: InSide; send: (n: number, frame?: Uint8Array) => Promise<unknown> }> {
  const { plugin, pair, addresses, options, cleanups } = run;
  const inSide = await openIn(plugin, pair.in, addresses.in, options, cleanups);
  const out = await openOut(plugin, pair.out, addresses.out, options, cleanups);
  const send = (n: number, frame?: Uint8Array) => out.endpoint.send!(message(options.message(pair.out, n), `wf-${n}`, frame));
  await warmUp(run, inSide, send);
  return { inSide, send };
}

/** Sends message 0 until the in side sees something (a subscriber joins late: the slow-joiner case). */
async function warmUp(run: PairRun, inSide: InSide, send: (n: number) => Promise<unknown>): Promise<void> {
  const deadline = Date.now() + run.options.timeoutMs;
  while (seen(inSide) === 0) {
    if (Date.now() > deadline)
      throw new CheckFailure(
        `no message from ${run.pair.out} reached ${run.pair.in} within ${run.options.timeoutMs} ms ` +
          `(addresses ${JSON.stringify(run.addresses)})`,
      );
    await within(send(0), run.options.timeoutMs, `send of a first message`).catch((error) => {
      if (error instanceof CheckFailure) throw error;
    });
    if (seen(inSide) === 0) await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Messages or updates the in side got. */
function seen(inSide: InSide): number {
  return inSide.received.length + inSide.context.updates.length;
}

/** The n of what the in side got last (a request's args, or a state value). */
function lastSeen(inSide: InSide, run: PairRun): unknown {
  return type(run.plugin, run.pair.in).kind === 'state' ? inSide.context.updates.at(-1)?.value : inSide.received.at(-1)?.args;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Sends messages 1..ROUNDS one by one; each arrives intact and in order (replies carry their own request's args and id). */
export async function roundTrip(run: PairRun): Promise<void> {
  const { inSide, send } = await connected(run);
  const replies = type(run.plugin, run.pair.out).replies;
  const start = inSide.received.length;
  for (let n = 1; n <= ROUNDS; n += 1) {
    const reply = await within(send(n), run.options.timeoutMs, `send of message ${n}`);
    if (replies) {
      const got = returned(reply, `reply to message ${n}`);
      const expected = echo(run.options.received(run.pair.in, n));
      if (!same(got, expected))
        throw new CheckFailure(`reply to message ${n}: expected return_args ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`);
      if (reply instanceof Uint8Array && decodeReply(reply).workflow_id !== `wf-${n}`)
        throw new CheckFailure(`reply to message ${n} carries workflow id ${decodeReply(reply).workflow_id}, expected wf-${n}`);
    }
  }
  const expected = run.options.received(run.pair.in, ROUNDS);
  await waitFor(
    () => same(lastSeen(inSide, run), expected),
    run.options.timeoutMs,
    `the in side seeing message ${ROUNDS} (${JSON.stringify(expected)}; last seen ${JSON.stringify(lastSeen(inSide, run))})`,
  );
  if (type(run.plugin, run.pair.in).kind === 'connection') {
    const got = inSide.received.slice(start).filter((envelope) => envelope.workflow_id !== 'wf-0');
    const order = got.map((envelope) => envelope.workflow_id);
    const wanted = Array.from({ length: ROUNDS }, (_, i) => `wf-${i + 1}`);
    if (!same(order, wanted))
      throw new CheckFailure(`the in side got workflow ids ${order.join(', ')}; expected wf-1 … wf-${ROUNDS} once each, in order`);
    const bad = got.find((envelope, i) => !same(envelope.args, run.options.received(run.pair.in, i + 1)));
    if (bad !== undefined) throw new CheckFailure(`message ${bad.workflow_id} arrived with args ${JSON.stringify(bad.args)}`);
  }
}

/** Ten requests at once: every reply is its own request's. */
export async function repliesMatched(run: PairRun): Promise<void> {
  const { send } = await connected(run);
  const ns = Array.from({ length: 10 }, (_, i) => i + 1);
  const replies = await within(Promise.all(ns.map((n) => send(n))), run.options.timeoutMs, '10 concurrent requests being answered');
  replies.forEach((reply, i) => {
    const got = returned(reply, `reply to request ${i + 1}`);
    const expected = echo(run.options.received(run.pair.in, i + 1));
    if (!same(got, expected))
      throw new CheckFailure(
        `request ${i + 1} got the reply ${JSON.stringify(got)}; expected ${JSON.stringify(expected)} (replies mixed up between requests)`,
      );
  });
}

/** A frame that is not MessagePack: answered with an error reply, or dropped; the connection keeps working. */
export async function badFrame(run: PairRun): Promise<void> {
  const { inSide, send } = await connected(run);
  const replies = type(run.plugin, run.pair.out).replies;
  let outcome: unknown;
  try {
    outcome = await within(send(1, GARBAGE), run.options.timeoutMs, 'an answer to (or the drop of) a bad frame');
  } catch (error) {
    if (error instanceof CheckFailure) throw error;
    outcome = error; // the sending side refused to write it: fine
  }
  if (replies && outcome instanceof Uint8Array && decodeReply(outcome).error === undefined && inSide.undecodable.length > 0) {
    throw new CheckFailure("a bad frame reached the runner but the peer got a normal reply instead of the runner's error reply");
  }
  const before = inSide.received.length + inSide.context.updates.length;
  const reply = await within(send(2), run.options.timeoutMs, 'a good message after the bad frame');
  if (replies) returned(reply, 'reply to the good message after the bad frame');
  await waitFor(
    () => inSide.received.length + inSide.context.updates.length > before,
    run.options.timeoutMs,
    'the in side receiving a good message after the bad frame',
  );
}

/** `pause()` while a request is being handled: that reply still goes out, then close works. */
export async function pauseInFlight(run: PairRun): Promise<void> {
  const { inSide, send } = await connected(run);
  if (inSide.endpoint.pause === undefined) return;
  let release!: () => void;
  inSide.hold = new Promise((resolve) => {
    release = resolve;
  });
  const before = inSide.received.length;
  const pending = send(1);
  await waitFor(() => inSide.received.length > before, run.options.timeoutMs, 'the request reaching the in side');
  const paused = inSide.endpoint.pause();
  release();
  await within(paused, run.options.timeoutMs, 'pause() with a message in flight');
  const reply = await within(pending, run.options.timeoutMs, 'the reply to the message in flight at pause()');
  if (type(run.plugin, run.pair.out).replies) returned(reply, 'the reply to the message in flight at pause()');
  await within(inSide.endpoint.close(), run.options.timeoutMs, 'close() after pause()');
}

/** `close()` on the out side while a request waits for its reply: the send settles (rejects) and close resolves; later sends reject. */
export async function closePendingSend(run: PairRun): Promise<void> {
  const { plugin, pair, addresses, options, cleanups } = run;
  const inSide = await openIn(plugin, pair.in, addresses.in, options, cleanups);
  const out = await openOut(plugin, pair.out, addresses.out, options, cleanups);
  let release!: () => void;
  inSide.hold = new Promise((resolve) => {
    release = resolve;
  });
  cleanups.push(async () => release());
  const pending = out.endpoint.send!(message(options.message(pair.out, 1), 'wf-1')).then(
    () => 'resolved',
    () => 'rejected',
  );
  if (type(plugin, pair.out).replies)
    await waitFor(() => inSide.received.length > 0, options.timeoutMs, 'the request reaching the in side');
  await within(out.endpoint.close(), options.timeoutMs, 'close() with a send pending');
  const settled = await within(pending, options.timeoutMs, 'the pending send settling after close()');
  if (type(plugin, pair.out).replies && settled !== 'rejected')
    throw new CheckFailure('a send pending at close() resolved; it should reject (its reply can no longer come)');
  const after = await within(
    out.endpoint.send!(message(options.message(pair.out, 2), 'wf-2')).then(
      () => 'resolved',
      (error: unknown) => error,
    ),
    options.timeoutMs,
    'a send after close() settling',
  );
  if (after === 'resolved')
    throw new CheckFailure('send() after close() resolved; it should reject with an error (e.g. TransportError SF_CONNECTION_CLOSED)');
}

/** The chosen side closes and a new instance opens on the same addresses: messages flow again without reopening the other side. */
export async function reconnect(run: PairRun): Promise<void> {
  const { plugin, pair, addresses, options, cleanups } = run;
  let inSide = await openIn(plugin, pair.in, addresses.in, options, cleanups);
  let out = await openOut(plugin, pair.out, addresses.out, options, cleanups);
  const send = (n: number) => out.endpoint.send!(message(options.message(pair.out, n), `wf-${n}`));
  await warmUp(run, inSide, send);
  if ((pair.restart ?? 'in') === 'in') {
    await within(inSide.endpoint.close(), options.timeoutMs, `close() of ${pair.in}`);
    inSide = await openIn(plugin, pair.in, addresses.in, options, cleanups);
  } else {
    await within(out.endpoint.close(), options.timeoutMs, `close() of ${pair.out}`);
    out = await openOut(plugin, pair.out, addresses.out, options, cleanups);
  }
  await warmUp(run, inSide, send);
}

/** Open, close, close again (both sides); then the same addresses open again (nothing left bound). */
export async function openCloseTwice(run: PairRun): Promise<void> {
  const { plugin, pair, addresses, options } = run;
  for (const round of [1, 2]) {
    const inSide = await within(
      openIn(plugin, pair.in, addresses.in, options, run.cleanups),
      options.timeoutMs,
      `open() of ${pair.in} (round ${round})`,
    );
    const out = await within(
      openOut(plugin, pair.out, addresses.out, options, run.cleanups),
      options.timeoutMs,
      `open() of ${pair.out} (round ${round})`,
    );
    for (const [name, endpoint] of [
      [pair.out, out.endpoint],
      [pair.in, inSide.endpoint],
    ] as const) {
      await within(endpoint.close(), options.timeoutMs, `close() of ${name} (round ${round})`);
      try {
        await within(endpoint.close(), options.timeoutMs, `a second close() of ${name}`);
      } catch (error) {
        throw new CheckFailure(`a second close() of ${name} failed: ${(error as Error).message} (close must be safe to call twice)`);
      }
    }
  }
}
