import { decodeReply, encodeRequest } from '@sf/core';
import { afterEach, describe, expect, it } from 'vitest';
import { Dealer } from 'zeromq';
import { freePort, loopback, type SfProcess, startSf } from '../src/index.js';
import { useE2eHooks } from './helpers/hooks.js';

const temp = useE2eHooks();

/** Numbers the test's own requests use (the sf requester's calls are numbered 1, 2, 3…). */
const PIPELINED_FROM = 100_001;
const PIPELINED = 800;

let dealer: Dealer | undefined;
afterEach(() => {
  if (dealer && !dealer.closed) dealer.close();
});

/** Every `handled <n>` line of the replyer, as numbers (duplicates kept). */
function handled(replyer: SfProcess): number[] {
  return replyer.stdout.flatMap((line) => {
    const match = line.match(/^handled (\d+)$/);
    return match ? [Number(match[1])] : [];
  });
}

/** Reads replies until none has come for `quietMs`, keeping each as [workflow id, n, error type]. */
async function collectReplies(
  socket: Dealer,
  into: { workflowId: string | null; n: unknown; error?: string }[],
  quietMs: number,
): Promise<void> {
  socket.receiveTimeout = quietMs;
  for (;;) {
    let frames: Buffer[];
    try {
      frames = await socket.receive();
    } catch (error) {
      if ((error as { code?: string }).code === 'EAGAIN') return;
      throw error;
    }
    expect(frames.length, 'a reply is [empty delimiter, body]').toBe(2);
    const reply = decodeReply(frames[1]!);
    into.push({ workflowId: reply.workflow_id, n: reply.return_args?.n, error: reply.error?.type });
  }
}

describe('SIGTERM to a replyer under load', () => {
  it('every request it took is answered once, nothing it did not handle is answered, and it exits 0', async () => {
    const port = await freePort();
    const addresses = await temp.addresses({
      connections: { in: { work: { replyer: loopback(port) } }, out: { work: { requester: loopback(port) } } },
    });
    const replyer = startSf(['-s', 'counting-replyer.mjs', '-a', addresses, '--delay_ms', '3']);
    await replyer.ready();

    // An sf requester calling one at a time, and the test pipelining numbered requests through a Dealer.
    const requester = startSf([
      '-s',
      'stream-requester.mjs',
      '-a',
      addresses,
      '-m',
      '--count',
      '1000',
      '--timeout_ms',
      '3000',
      '--gap_ms',
      '0',
    ]);
    await requester.waitForLine(/^call 1: ok 1$/);
    dealer = new Dealer({ linger: 0 });
    dealer.connect(`tcp://127.0.0.1:${port}`);
    for (let n = PIPELINED_FROM; n < PIPELINED_FROM + PIPELINED; n += 1) {
      await dealer.send([Buffer.alloc(0), encodeRequest({ args: { n }, workflow_id: `d-${n}` })]);
    }
    const replies: { workflowId: string | null; n: unknown; error?: string }[] = [];
    const reading = collectReplies(dealer, replies, 3000);

    await replyer.waitForLine(new RegExp(`^handled ${PIPELINED_FROM + 300}$`));
    replyer.signal('SIGTERM');
    expect(await replyer.exitCode(), replyer.output()).toBe(0);
    await reading;
    expect(await requester.stop('SIGTERM')).not.toBeNull();

    const handledIds = handled(replyer);
    expect(new Set(handledIds).size, 'no request handled twice').toBe(handledIds.length);
    const handledPipelined = handledIds.filter((n) => n >= PIPELINED_FROM);
    const handledCalls = handledIds.filter((n) => n < PIPELINED_FROM);

    // The test's requests: one reply per handled request, each matching its request, none twice.
    expect(replies.every((reply) => reply.error === undefined)).toBe(true);
    for (const reply of replies) expect(reply.workflowId).toBe(`d-${reply.n}`);
    const repliedIds = replies.map((reply) => reply.n as number);
    expect(new Set(repliedIds).size, 'no reply seen twice').toBe(repliedIds.length);
    expect(new Set(repliedIds)).toEqual(new Set(handledPipelined));
    // SIGTERM came mid-stream: some were answered, the rest never taken.
    expect(handledPipelined.length).toBeGreaterThan(300);
    expect(handledPipelined.length).toBeLessThan(PIPELINED);

    // The sf requester: every call the replyer handled got its own reply, and only those.
    const answered = requester.stdout.flatMap((line) => {
      const match = line.match(/^call (\d+): ok (\d+)$/);
      if (!match) return [];
      expect(match[2]).toBe(match[1]);
      return [Number(match[1])];
    });
    expect(new Set(answered).size).toBe(answered.length);
    expect(new Set(answered)).toEqual(new Set(handledCalls));
    expect(answered.length).toBeGreaterThan(0);
    expect(replyer.lines.some((line) => /\] stopping /.test(line))).toBe(true);
  });
});
