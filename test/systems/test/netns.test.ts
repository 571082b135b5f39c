/**
 * Real `sf run` processes on three "hosts" (Linux network namespaces on one switch, see
 * src/netns.ts): requests and replies between hosts, a publication from one host to another, a
 * capture of a host's link, a link pulled and plugged back mid-load, a host's processes SIGKILLed,
 * and SPEC §4's binding rule across real interfaces. Needs root, iproute2 and tcpdump; without them
 * the file is skipped with a notice, unless SF_REQUIRE_NETNS=1 (CI) makes that a failure.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { eventually, type TrackedProcess, TempFiles } from '@sf/e2e';
import { afterAll, expect, it } from 'vitest';
import { describeNetns, pidsIn, useHosts } from '../src/netns.js';
import { ROOT } from '../src/run-sf.js';

const FIXTURES = join(ROOT, 'test/systems/fixtures/netns');
const PORT = 7001;
/** Markers sent in payloads: a capture holds them when the traffic is plaintext (it is, today). */
const RUN = randomUUID().slice(0, 8);
const ASK = `ask-marker-${RUN}`;
const ANSWER = `answer-marker-${RUN}`;
const TICK = `tick-marker-${RUN}`;

const temp = new TempFiles();
afterAll(() => temp.remove());

/** The lines of `proc` from index `from` on that match `pattern`. */
const after = (proc: TrackedProcess, from: number, pattern: RegExp) => proc.lines.slice(from).filter((line) => pattern.test(line));

/** Resolves once `proc` has `count` lines matching `pattern` from index `from` on. */
const waitAfter = (proc: TrackedProcess, from: number, pattern: RegExp, count: number, timeoutMs = 15_000) =>
  eventually(
    `${count} lines matching ${pattern} from ${proc.name}\n${proc.output()}`,
    async () => (after(proc, from, pattern).length >= count ? true : undefined),
    timeoutMs,
    20,
  );

const OK = /^call \d+: ok /;
const FAILED = /^call \d+: error /;

describeNetns(
  'sf run across three hosts (network namespaces)',
  () => {
    const hosts = useHosts(['a', 'b', 'c'], { hostNames: true });

    /** Starts the echo replyer on host a, bound to `bind`; resolves once it is ready. */
    async function replyerOnA(bind: string) {
      const addresses = await temp.addresses({ connections: { in: { work: { replyer: bind } } } });
      const replyer = hosts().sfRun('a', ['-s', 'echo.mjs', '-a', addresses, '--answer', ANSWER], { cwd: FIXTURES });
      await replyer.ready();
      return replyer;
    }

    /** Starts a caller on `host` that calls `target` `count` times, `gapMs` apart, waiting `timeoutMs` per call. */
    async function caller(host: string, target: string, count: number, timeoutMs: number, gapMs = 10) {
      const addresses = await temp.addresses({ connections: { out: { work: { requester: target } } } });
      const args = ['--count', `${count}`, '--text', `${ASK}-${host}`, '--timeout_ms', `${timeoutMs}`, '--gap_ms', `${gapMs}`];
      return hosts().sfRun(host, ['-s', 'caller.mjs', '-a', addresses, '-m', ...args], { cwd: FIXTURES, name: `caller on ${host}` });
    }

    it('b and c call a replyer on a, b publishes to c; captures of the links hold the plaintext markers', { timeout: 60_000 }, async () => {
      const h = hosts();
      const [onA, onC] = [await h.capture('a'), await h.capture('c')];
      const replyer = await replyerOnA(`${h.address('a')}:${PORT}`);
      const [fromB, fromC] = [
        await caller('b', `${h.address('a')}:${PORT}`, 20, 5000),
        await caller('c', `${h.address('a')}:${PORT}`, 20, 5000),
      ];
      expect(await fromB.exitCode(), fromB.output()).toBe(0);
      expect(await fromC.exitCode(), fromC.output()).toBe(0);
      for (const proc of [fromB, fromC]) {
        expect(
          proc.stdout.filter((line) => line.startsWith('call ')),
          proc.output(),
        ).toEqual(Array.from({ length: 20 }, (_, i) => `call ${i + 1}: ok ${ANSWER}`));
      }
      expect(replyer.stdout.filter((line) => line.startsWith(`handled `) && line.endsWith(`${ASK}-b`))).toHaveLength(20);
      expect(replyer.stdout.filter((line) => line.startsWith(`handled `) && line.endsWith(`${ASK}-c`))).toHaveLength(20);

      // A publisher bound to b's address, a subscriber on c.
      const ticks = await temp.addresses({
        connections: {
          out: { ticks: { publisher: `${h.address('b')}:${PORT}` } },
          in: { ticks: { subscriber: `${h.address('b')}:${PORT}` } },
        },
      });
      const reader = h.sfRun('c', ['-s', 'tick-reader.mjs', '-a', ticks], { cwd: FIXTURES });
      await reader.ready();
      const ticker = h.sfRun('b', ['-s', 'ticker.mjs', '-a', ticks, '-m', '--count', '50', '--text', TICK, '--gap_ms', '10'], {
        cwd: FIXTURES,
      });
      expect(await ticker.exitCode(), ticker.output()).toBe(0);
      await reader.waitForLine(new RegExp(`^tick 50 ${TICK}$`));
      expect(reader.stdout.filter((line) => line.startsWith('tick '))).toEqual(
        Array.from({ length: 50 }, (_, i) => `tick ${i + 1} ${TICK}`),
      );

      const [bytesA, bytesC] = [await onA.stop(), await onC.stop()];
      // Today's wires are plaintext: a's link carries both requests and replies, c's the publications.
      expect(onA.holds(`${ASK}-b`) && onA.holds(`${ASK}-c`) && onA.holds(ANSWER)).toBe(true);
      expect(onC.holds(TICK)).toBe(true);
      // The switch learns where each host is: b's publications to c never pass a's link.
      expect(onA.holds(TICK)).toBe(false);
      console.log(
        `netns: 2 × 20 calls from b and c to a, 50 publications from b to c; captured ${bytesA.length} bytes on a's link, ` +
          `${bytesC.length} on c's; markers in plaintext: requests and replies on a's, publications on c's`,
      );
    });

    it('a link pulled mid-load makes calls time out; plugged back, they succeed again', { timeout: 60_000 }, async () => {
      const h = hosts();
      await replyerOnA(`${h.address('a')}:${PORT}`);
      const calls = await caller('b', `${h.address('a')}:${PORT}`, 100_000, 500, 20);
      await waitAfter(calls, 0, OK, 10);

      const down = calls.lines.length;
      h.linkDown('a');
      const downAt = performance.now();
      await waitAfter(calls, down, FAILED, 3);
      const firstFailure = calls.lines.findIndex((line, index) => index >= down && FAILED.test(line));
      await new Promise((resolve) => setTimeout(resolve, 1000));

      const up = calls.lines.length;
      h.linkUp('a');
      const upAt = performance.now();
      // Between the first timeout and plugging the link back, no call got through.
      expect(
        calls.lines.slice(firstFailure, up).filter((line) => OK.test(line)),
        calls.output(),
      ).toEqual([]);
      expect(
        calls.lines
          .slice(firstFailure, up)
          .filter((line) => FAILED.test(line))
          .every((line) => line.endsWith('error SF_REQUEST_TIMEOUT')),
        calls.output(),
      ).toBe(true);
      await waitAfter(calls, up, OK, 1);
      const recoveredMs = performance.now() - upAt;
      await waitAfter(calls, up, OK, 10);

      const okBefore = after(calls, 0, OK).length - after(calls, down, OK).length;
      console.log(
        `netns: link of a down for ${Math.round(upAt - downAt)} ms: ${okBefore} calls ok before, ` +
          `${calls.lines.slice(down, up).filter((line) => FAILED.test(line)).length} timed out (500 ms each) while down, ` +
          `first ok ${Math.round(recoveredMs)} ms after the link came back, ${after(calls, up, OK).length} ok since`,
      );
    });

    it('SIGKILL of every process on a: calls time out; a new replyer on a answers them again', { timeout: 60_000 }, async () => {
      const h = hosts();
      const replyer = await replyerOnA(`${h.address('a')}:${PORT}`);
      const calls = await caller('b', `${h.address('a')}:${PORT}`, 100_000, 500, 20);
      await waitAfter(calls, 0, OK, 10);

      const killedAt = calls.lines.length;
      const killed = await h.killAll('a');
      expect(killed).toBeGreaterThanOrEqual(1);
      expect((await replyer.exit).signal).toBe('SIGKILL');
      expect(pidsIn(h.namespace('a'))).toEqual([]);
      await waitAfter(calls, killedAt, FAILED, 3);

      const restartedAt = calls.lines.length;
      const start = performance.now();
      await replyerOnA(`${h.address('a')}:${PORT}`);
      await waitAfter(calls, restartedAt, OK, 1);
      const recoveredMs = performance.now() - start;
      await waitAfter(calls, restartedAt, OK, 10);
      console.log(
        `netns: SIGKILLed ${killed} process(es) on a; ` +
          `${calls.lines.slice(killedAt, restartedAt).filter((line) => FAILED.test(line)).length} ` +
          `calls timed out until a new replyer started; first ok ${Math.round(recoveredMs)} ms after its start (incl. its start-up)`,
      );
    });

    it("SPEC §4 binding rule across interfaces: 127.0.0.1:p on a is not reachable from b, *:p is, a:p only at a's address", {
      timeout: 60_000,
    }, async () => {
      const h = hosts();
      const a = h.address('a');
      const local = await replyerOnA(`127.0.0.1:${PORT}`);
      const open = await replyerOnA(`*:${PORT + 1}`);
      expect(open.lines.filter((line) => line.includes('reachable from the network, without CURVE'))).toHaveLength(1);
      expect(local.lines.filter((line) => line.includes('reachable from the network, without CURVE'))).toEqual([]);

      expect(await h.tcpProbe('a', '127.0.0.1', PORT)).toBe('open');
      expect(await h.tcpProbe('b', a, PORT)).toBe('refused');
      expect(await h.tcpProbe('b', a, PORT + 1)).toBe('open');
      // With `hostNames`, each host resolves the others' names.
      expect(await h.tcpProbe('b', 'a', PORT + 1)).toBe('open');
      expect(await h.tcpProbe('c', 'a', PORT)).toBe('refused');

      const [toLocal, toOpen] = [await caller('b', `${a}:${PORT}`, 2, 500), await caller('b', `${a}:${PORT + 1}`, 2, 5000)];
      expect(await toLocal.exitCode(), toLocal.output()).toBe(0);
      expect(await toOpen.exitCode(), toOpen.output()).toBe(0);
      expect(toLocal.stdout.filter((line) => line.startsWith('call '))).toEqual([
        'call 1: error SF_REQUEST_TIMEOUT',
        'call 2: error SF_REQUEST_TIMEOUT',
      ]);
      expect(toOpen.stdout.filter((line) => line.startsWith('call '))).toEqual([`call 1: ok ${ANSWER}`, `call 2: ok ${ANSWER}`]);
      expect(local.stdout.filter((line) => line.startsWith('handled '))).toEqual([]);

      // A host's name (resolved by its own /etc/hosts, `hostNames`) binds that host's address only.
      await replyerOnA(`a:${PORT + 2}`);
      expect(
        h
          .run('a', 'ss', ['-Hltn', `sport = :${PORT + 2}`])
          .trim()
          .split(/\s+/)[3],
      ).toBe(`${a}:${PORT + 2}`);
      expect(await h.tcpProbe('b', 'a', PORT + 2)).toBe('open');
      expect(await h.tcpProbe('a', '127.0.0.1', PORT + 2)).toBe('refused');
    });
  },
  { capture: true },
);
