import { afterEach, describe, expect, it } from 'vitest';
import { freePort, loopback, type SfProcess, startSf } from '../src/index.js';
import { useE2eHooks } from './helpers/hooks.js';

const temp = useE2eHooks();
/** The listener's heartbeats: a PING every 200 ms, the peer dropped after 600 ms without an answer. */
const NOTICE_WITHIN_MS = 3000;
const LOST = /lost its peer at tcp:\/\/127\.0\.0\.1:\d+/;
const frozen = new Set<number>();

/** Stops `proc` without closing anything: its TCP connections stay open but it answers nothing. */
function freeze(proc: SfProcess): void {
  process.kill(proc.child.pid!, 'SIGSTOP');
  frozen.add(proc.child.pid!);
}

function thaw(proc: SfProcess): void {
  process.kill(proc.child.pid!, 'SIGCONT');
  frozen.delete(proc.child.pid!);
}

/** The highest `beat n` the listener printed so far. */
function lastBeat(listener: SfProcess): number {
  return Math.max(0, ...listener.stdout.filter((line) => line.startsWith('beat ')).map((line) => Number(line.slice(5))));
}

/** How many beats the listener printed so far. */
function beats(listener: SfProcess): number {
  return listener.stdout.filter((line) => line.startsWith('beat ')).length;
}

async function start(heartbeats: 'on' | 'off'): Promise<{ publisher: SfProcess; listener: SfProcess }> {
  const port = await freePort();
  const addresses = await temp.addresses({
    connections: { out: { beats: { publisher: loopback(port) } }, in: { beats: { subscriber: loopback(port) } } },
  });
  const publisher = startSf(['-s', 'beat-publisher.ts', '-a', addresses, '-m']);
  const args = ['-s', 'beat-listener.mjs', '-a', addresses, ...(heartbeats === 'off' ? ['--heartbeats', 'off'] : [])];
  const listener = startSf(args, { name: `beat-listener, heartbeats ${heartbeats}` });
  await listener.waitForLines(/^beat \d+$/, 3);
  return { publisher, listener };
}

describe('heartbeats notice a dead peer on a silent connection', () => {
  afterEach(() => {
    // Continue a still-frozen publisher before the hooks kill every process.
    for (const pid of frozen) process.kill(pid, 'SIGCONT');
    frozen.clear();
  });

  it('a subscriber logs the loss of a frozen publisher within the heartbeat timeout, then reconnects after it resumes', async () => {
    const { publisher, listener } = await start('on');
    expect(
      listener.lines.filter((line) => LOST.test(line)),
      listener.output(),
    ).toEqual([]);

    freeze(publisher);
    const frozenAt = Date.now();
    await listener.waitForLine(LOST, NOTICE_WITHIN_MS);
    const noticedAfter = Date.now() - frozenAt;
    // Not before the 600 ms timeout can have run out (the last beat arrived at most 100 ms before the freeze).
    expect(noticedAfter).toBeGreaterThanOrEqual(400);
    expect(noticedAfter).toBeLessThan(NOTICE_WITHIN_MS);
    const beforeResume = lastBeat(listener);

    thaw(publisher);
    await listener.waitForLines(/^beat \d+$/, beats(listener) + 1, 10_000);
    expect(lastBeat(listener)).toBeGreaterThan(beforeResume);
    const lostAt = listener.lines.findIndex((line) => LOST.test(line));
    const firstNew = listener.lines.findIndex((line) => line.startsWith('beat ') && Number(line.slice(5)) > beforeResume);
    expect(lostAt).toBeLessThan(firstNew);
    expect(
      listener.lines.filter((line) => /\] (WARN|ERROR|FATAL): /.test(line)),
      listener.output(),
    ).toEqual([]);
  });

  it('without heartbeats the same freeze goes unnoticed, and the old connection carries on', async () => {
    const { publisher, listener } = await start('off');
    freeze(publisher);
    await new Promise((resolve) => setTimeout(resolve, NOTICE_WITHIN_MS));
    expect(
      listener.lines.filter((line) => LOST.test(line)),
      listener.output(),
    ).toEqual([]);
    const beforeResume = lastBeat(listener);

    thaw(publisher);
    await listener.waitForLine(new RegExp(`^beat ${beforeResume + 1}$`), 10_000);
    expect(
      listener.lines.filter((line) => LOST.test(line)),
      listener.output(),
    ).toEqual([]);
  });
});
