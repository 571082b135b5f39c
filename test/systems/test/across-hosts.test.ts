/**
 * Issue #23's "done when": one system file run across three hosts (Linux network namespaces, see
 * src/netns.ts), each host starting its share with `sf up --host NAME`: examples/market-data (a on
 * b: states one way, quotes both ways), a replyer replicated on b and c called from a, and a delta
 * state written on a and read on c. Every wire crosses hosts, so all are CurveZMQ (keys from
 * `sf keys`): a capture of a's link holds none of the markers sent in payloads, and a fourth host
 * with a key pair of its own gets no reply and no publication. Mid-load, c's link is pulled and
 * plugged back (calls go on on b, the reader on c converges), then c's processes are SIGKILLed
 * (calls go on on b); with idempotent + retries no call is lost.
 */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TempFiles, type TrackedProcess } from '@sf/e2e';
import { analyseSystem, loadSystem } from '@sf/system';
import { afterAll, expect, it } from 'vitest';
import { describeNetns, useHosts } from '../src/netns.js';
import { ROOT, runSf } from '../src/run-sf.js';

const FIXTURES = join(ROOT, 'test/systems/fixtures/cross');
const MARKET = join(ROOT, 'examples/market-data');
const RUN = randomUUID().slice(0, 8);
/** Markers in the payloads: a capture would hold them if the wires were plaintext. */
const ASK = `ask-marker-${RUN}`;
const ANSWER = `answer-marker-${RUN}`;
const BOOK = `book-marker-${RUN}`;
const CALLS = 600;
const UPDATES = 300;

const temp = new TempFiles();
afterAll(() => temp.remove());

/** Lines of an `sf up` from service `name` (its `name | …` prefix removed) that match `pattern`. */
function linesOf(up: TrackedProcess, name: string, pattern: RegExp): RegExpMatchArray[] {
  const prefix = new RegExp(`^${name.replace(/[#]/g, '\\$&')}\\s+\\| (.*)$`);
  return up.lines.flatMap((line) => {
    const text = prefix.exec(line)?.[1];
    const match = text === undefined ? null : pattern.exec(text);
    return match === null ? [] : [match];
  });
}

/** Resolves once `read()` gives a truthy value; fails after `timeoutMs` with `what()` (read then, so it shows the output so far). */
async function until<T>(what: () => string, read: () => T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describeNetns(
  'one system file across three hosts, encrypted by default',
  () => {
    const hosts = useHosts(['a', 'b', 'c', 'd']);

    it('market-data and a replicated replyer across hosts: no plaintext on the link, no stranger served, no call lost', {
      timeout: 150_000,
    }, async () => {
      const h = hosts();
      const dir = await temp.dir();
      const file = join(dir, 'sf.system.json');
      await writeFile(
        file,
        JSON.stringify({
          name: 'across',
          hosts: { a: { address: h.address('a') }, b: { address: h.address('b') }, c: { address: h.address('c') } },
          ports: { base: 7100 },
          services: {
            strategy: { service: join(MARKET, 'strategy.ts'), host: 'b' },
            'market-data': { service: join(MARKET, 'market-data.ts'), main: true, host: 'a' },
            who: { service: join(FIXTURES, 'who.mjs'), replicas: 2, host: ['b', 'c'], extra: { answer: ANSWER } },
            caller: { service: join(FIXTURES, 'caller.mjs'), main: true, host: 'a', extra: { count: CALLS, text: ASK, gap_ms: 15 } },
            writer: { service: join(FIXTURES, 'writer.mjs'), main: true, host: 'a', extra: { count: UPDATES, text: BOOK, gap_ms: 20 } },
            reader: { service: join(FIXTURES, 'reader.mjs'), host: 'c' },
          },
        }),
      );
      const keys = await runSf(['keys', file]);
      expect(keys.code, keys.stderr).toBe(0);
      const check = await runSf(['check', file]);
      expect(check.code, check.stdout + check.stderr).toBe(0);

      // b and c first; a (the writers and callers) once they serve.
      const upB = h.sf('b', ['up', '--host', 'b', file], { cwd: dir, name: 'sf up b' });
      const upC = h.sf('c', ['up', '--host', 'c', file], { cwd: dir, name: 'sf up c' });
      await upB.waitForLine(/^sf up +\| who#1 ready$/, 30_000);
      await upC.waitForLine(/^sf up +\| reader ready$/, 30_000);
      const capture = await h.capture('a');
      const upA = h.sf('a', ['up', '--host', 'a', file], { cwd: dir, name: 'sf up a' });

      // Both replicas answer calls from a.
      const pids = () => new Set(linesOf(upA, 'caller', /^call \d+: ok \S+ (\d+)$/).map((match) => match[1]));
      await until(
        () => `calls answered by both replicas\n${upA.output()}`,
        () => pids().size === 2,
      );
      const [pidB, pidC] = [
        linesOf(upB, 'sf up', /^started who#1 \(pid (\d+)\)$/)[0]![1],
        linesOf(upC, 'sf up', /^started who#2 \(pid (\d+)\)$/)[0]![1],
      ];
      expect(pids()).toEqual(new Set([pidB, pidC]));

      // c's cable pulled mid-load: calls go on on b; plugged back: the reader on c converges.
      const beforeCut = linesOf(upA, 'caller', /^call (\d+): ok/).length;
      h.linkDown('c');
      await new Promise((resolve) => setTimeout(resolve, 2500));
      const duringCut = linesOf(upA, 'caller', /^call (\d+): ok \S+ (\d+)$/).slice(beforeCut);
      h.linkUp('c');
      const pluggedAt = performance.now();
      expect(duringCut.length, upA.output()).toBeGreaterThan(20);
      await until(
        () => `the reader on c to reach book ${UPDATES}\n${upC.output()}`,
        () => linesOf(upC, 'reader', new RegExp(`^book ${UPDATES}$`)).length > 0,
        60_000,
      );
      const convergedMs = Math.round(performance.now() - pluggedAt);

      // market-data on a and the strategy on b: states a → b, a quote request a → b and its reply b → a.
      await until(
        () => `the strategy's quote on a\n${upA.output()}`,
        () => linesOf(upA, 'market-data', /the strategy quotes mid/).length > 0,
      );
      expect(linesOf(upB, 'strategy', /^strategy: best bid 64000\.25$/).length).toBeGreaterThan(0);

      // c's processes SIGKILLed mid-load: calls go on on b.
      const beforeKill = linesOf(upA, 'caller', /^call (\d+): ok/).length;
      const killed = await h.killAll('c');
      const done = await until(
        () => `the caller to finish\n${upA.output()}`,
        () => linesOf(upA, 'caller', /^done (\d+) calls, (\d+) failed$/)[0],
        120_000,
      );
      const afterKill = linesOf(upA, 'caller', /^call (\d+): ok \S+ (\d+)$/).slice(beforeKill);
      expect(done[1]).toBe(String(CALLS));
      expect(done[2], upA.output()).toBe('0');
      expect(afterKill.length).toBeGreaterThan(50);
      expect(new Set(afterKill.slice(10).map((match) => match[2]))).toEqual(new Set([pidB]));

      // A stranger on d with a key pair of its own, and the system's public keys: no reply, no publication.
      const analysis = await analyseSystem(await loadSystem(file));
      const addressOf = (service: string, model: string, socket: string) =>
        analysis.channels.find((channel) =>
          channel.sockets.some((s) => s.end.service === service && s.end.name === model && s.name === socket),
        )!.address;
      expect((await runSf(['keygen', '-o', join(dir, 'stranger'), '--name', 'stranger'])).code).toBe(0);
      const strangerKey = join(dir, 'stranger', 'stranger.key');
      const addresses = await temp.json('stranger.addresses.json', {
        connections: { out: { work: { requester: addressOf('who', 'work', 'replyer') } } },
        states: {
          in: { book: { subscriber: addressOf('writer', 'book', 'publisher'), requester: addressOf('writer', 'book', 'replyer') } },
        },
      });
      const callerCurve = await temp.json('stranger-caller.creation.json', {
        connections: { out: { work: { curve: { key_file: strangerKey, server_public_key_file: join(dir, 'keys/who.pub') } } } },
      });
      const readerCurve = await temp.json('stranger-reader.creation.json', {
        states: { in: { book: { curve: { key_file: strangerKey, server_public_key_file: join(dir, 'keys/writer.pub') } } } },
      });
      const strangerReader = h.sfRun('d', ['-s', join(FIXTURES, 'reader.mjs'), '-a', addresses, '--creation', readerCurve], {
        cwd: dir,
        name: 'stranger reader',
      });
      const strangerCaller = h.sfRun(
        'd',
        ['-s', join(FIXTURES, 'caller.mjs'), '-a', addresses, '--creation', callerCurve, '-m', '--', '--count', '2', '--text', 'x'],
        { cwd: dir, name: 'stranger caller' },
      );
      expect(await strangerCaller.exitCode(), strangerCaller.output()).toBe(0);
      expect(strangerCaller.lines.filter((line) => line.startsWith('done '))).toEqual(['done 2 calls, 2 failed']);
      expect(
        strangerReader.lines.filter((line) => /^book /.test(line)),
        strangerReader.output(),
      ).toEqual([]);

      const bytes = await capture.stop();
      // The link carried the traffic (handshakes, calls, publications), none of it readable.
      expect(bytes.length).toBeGreaterThan(50_000);
      for (const marker of [ASK, ANSWER, BOOK]) expect(capture.holds(marker), marker).toBe(false);

      const byB = linesOf(upA, 'caller', /^call \d+: ok \S+ (\d+)$/).filter((match) => match[1] === pidB).length;
      console.log(
        `across hosts: ${CALLS} calls from a, ${byB} answered by who#1 on b, ${CALLS - byB} by who#2 on c, 0 failed; ` +
          `${duringCut.length} answered while c's link was down, ${afterKill.length} after c's ${killed} processes were killed; ` +
          `the reader on c reached update ${UPDATES} ${convergedMs} ms after its link came back; ` +
          `${bytes.length} bytes captured on a's link, no marker in them; the stranger on d: 2 calls, 2 failed, no publication`,
      );
    });
  },
  { capture: true },
);
