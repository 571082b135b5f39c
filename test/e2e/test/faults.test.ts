import { describe, expect, it } from 'vitest';
import { freePort, loopback, type SfProcess, startSf } from '../src/index.js';
import { useE2eHooks } from './helpers/hooks.js';

const temp = useE2eHooks();

/** Addresses of `work`: the replyer binds `port`, the requester connects to it. */
async function workAddresses(port: number): Promise<string> {
  return temp.addresses({ connections: { in: { work: { replyer: loopback(port) } }, out: { work: { requester: loopback(port) } } } });
}

/** `call <n>: …` outcomes of the stream requester, by call number. */
function outcomes(requester: SfProcess): Map<number, string> {
  const byCall = new Map<number, string>();
  for (const line of requester.stdout) {
    const match = line.match(/^call (\d+): (.*)$/);
    if (!match) continue;
    const n = Number(match[1]);
    expect(byCall.has(n), `call ${n} has two outcomes\n${requester.output()}`).toBe(false);
    byCall.set(n, match[2]!);
  }
  return byCall;
}

/** How many times each call number was handled, over every replyer run. */
function handledCounts(replyers: SfProcess[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const replyer of replyers) {
    for (const line of replyer.stdout) {
      const match = line.match(/^handled (\d+)$/);
      if (match) counts.set(Number(match[1]), (counts.get(Number(match[1])) ?? 0) + 1);
    }
  }
  return counts;
}

describe('a replyer killed with SIGKILL and restarted mid-stream', () => {
  it('without retries: the pending call fails with SF_REQUEST_TIMEOUT, later calls succeed, each call is handled at most once', async () => {
    const addresses = await workAddresses(await freePort());
    const first = startSf(['-s', 'counting-replyer.mjs', '-a', addresses, '--delay_ms', '150'], { name: 'replyer (first run)' });
    await first.ready();
    const requester = startSf([
      '-s',
      'stream-requester.mjs',
      '-a',
      addresses,
      '-m',
      '--count',
      '40',
      '--timeout_ms',
      '600',
      '--gap_ms',
      '20',
    ]);

    // Kill the replyer while call 4 is being handled: its reply never comes.
    await first.waitForLine(/^handled 4$/);
    first.signal('SIGKILL');
    await first.exit;
    await requester.waitForLine(/^call 4: /);
    const second = startSf(['-s', 'counting-replyer.mjs', '-a', addresses], { name: 'replyer (second run)' });
    await second.ready();

    expect(await requester.exitCode(30_000), requester.output()).toBe(0);
    const calls = outcomes(requester);
    expect([...calls.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(calls.get(4)).toBe('error SF_REQUEST_TIMEOUT');
    for (const [n, outcome] of calls) expect(outcome, `call ${n}`).toMatch(new RegExp(`^(ok ${n}|error SF_REQUEST_TIMEOUT)$`));
    for (let n = 1; n <= 3; n += 1) expect(calls.get(n)).toBe(`ok ${n}`);
    for (let n = 30; n <= 40; n += 1) expect(calls.get(n), `call ${n} after the restart`).toBe(`ok ${n}`);
    expect(requester.lines.some((line) => /sending the request again/.test(line))).toBe(false);

    // The handler ran once per answered call and at most once per call that timed out.
    const handled = handledCounts([first, second]);
    for (const [n, outcome] of calls) {
      if (outcome.startsWith('ok')) expect(handled.get(n), `call ${n} answered`).toBe(1);
      else expect(handled.get(n) ?? 0, `call ${n} timed out`).toBeLessThanOrEqual(1);
    }
    expect(handled.get(4)).toBe(1);
    expect(await second.stop('SIGTERM')).toBe(0);
  });

  it('with idempotent retries: calls issued while the replyer is down succeed once it is back, within the retry budget', async () => {
    const addresses = await workAddresses(await freePort());
    const first = startSf(['-s', 'counting-replyer.mjs', '-a', addresses], { name: 'replyer (first run)' });
    await first.ready();
    // Budget per call: 7 tries of 300 ms and waits of 0.1 + 0.2 + 0.4 + 0.8 + 1.6 + 3.2 s ≈ 8.4 s.
    const requester = startSf([
      '-s',
      'stream-requester.mjs',
      '-a',
      addresses,
      '-m',
      '--count',
      '30',
      '--timeout_ms',
      '300',
      '--retries',
      '6',
      '--retry_backoff_ms',
      '100',
      '--gap_ms',
      '20',
    ]);

    await requester.waitForLine(/^call 5: ok 5$/);
    first.signal('SIGKILL');
    await first.exit;
    const downSince = requester.stdout.filter((line) => line.startsWith('call ')).length;
    await requester.waitForLine(/sending the request again/);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const second = startSf(['-s', 'counting-replyer.mjs', '-a', addresses], { name: 'replyer (second run)' });
    await second.ready();

    expect(await requester.exitCode(30_000), requester.output()).toBe(0);
    const calls = outcomes(requester);
    expect(calls.size).toBe(30);
    for (const [n, outcome] of calls) expect(outcome, `call ${n}`).toBe(`ok ${n}`);
    // The call after the last one answered before the kill was sent while nobody listened, retried, and answered.
    const retried = requester.lines.filter((line) => /sending the request again/.test(line));
    expect(retried.length).toBeGreaterThanOrEqual(2);
    expect(second.stdout).toContain(`handled ${downSince + 1}`);
    expect(await second.stop('SIGTERM')).toBe(0);
  });
});
