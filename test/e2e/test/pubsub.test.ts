import { encodeRequest } from '@sf/core';
import { afterEach, describe, expect, it } from 'vitest';
import { Publisher } from 'zeromq';
import { freePorts, loopback, msgpackFixstr, RawProxy, type SfProcess, startSf } from '../src/index.js';
import { useE2eHooks } from './helpers/hooks.js';

const temp = useE2eHooks();
const ROUNDS = 5;

/** What `proc` printed for `kind`, without warm-up round 0. */
function received(proc: SfProcess, kind: 'ticks' | 'news'): string[] {
  return proc.stdout.filter((line) => line.startsWith(`${kind} `) && !line.endsWith(' 0'));
}

/** Warning and error log lines. */
function problems(proc: SfProcess): string[] {
  return proc.lines.filter((line) => /\] (WARN|ERROR|FATAL): /.test(line));
}

function expected(kind: string, source: string | undefined): string[] {
  return Array.from({ length: ROUNDS }, (_, i) => (source ? `${kind} ${source} ${i + 1}` : `${kind} ${i + 1}`));
}

describe('publish/subscribe between sf run processes', () => {
  let proxy: RawProxy | undefined;
  afterEach(() => proxy?.close());

  it('each subscriber gets exactly its topic’s messages, in order, and every no-topic message', async () => {
    const [front, back, news] = await freePorts(3);
    proxy = new RawProxy();
    await proxy.open(front!, back!);
    const addresses = await temp.addresses({
      connections: {
        out: { a_ticks: { publisher: loopback(front!) }, b_ticks: { publisher: loopback(front!) }, news: { publisher: loopback(news!) } },
        in: { ticks: { subscriber: loopback(back!) }, news: { subscriber: loopback(news!) } },
      },
    });
    const watchers = {
      a1: startSf(['-s', 'watcher.mjs', '-a', addresses, '--topic', 'A'], { name: 'watcher A1' }),
      a2: startSf(['-s', 'watcher.mjs', '-a', addresses, '--topic', 'A'], { name: 'watcher A2' }),
      b: startSf(['-s', 'watcher.mjs', '-a', addresses, '--topic', 'B'], { name: 'watcher B' }),
      all: startSf(['-s', 'watcher.mjs', '-a', addresses], { name: 'watcher without topic' }),
    };
    await Promise.all(Object.values(watchers).map((watcher) => watcher.ready()));

    const ticker = startSf(['-s', 'ticker.ts', '-a', addresses, '-m', '--rounds', String(ROUNDS)]);
    expect(await ticker.exitCode(), ticker.output()).toBe(0);
    const topicWatchers = [watchers.a1, watchers.a2, watchers.b];
    await Promise.all(topicWatchers.map((watcher) => watcher.waitForLines(/^(ticks|news) /, 2 * ROUNDS)));
    await watchers.all.waitForLines(/^(ticks|news) /, 3 * ROUNDS);
    // Give a stray message of the other topic time to arrive, if the filtering were broken.
    await new Promise((resolve) => setTimeout(resolve, 300));

    for (const [watcher, topic] of [
      [watchers.a1, 'A'],
      [watchers.a2, 'A'],
      [watchers.b, 'B'],
    ] as const) {
      expect(received(watcher, 'ticks'), watcher.output()).toEqual(expected('ticks', topic));
      expect(received(watcher, 'news'), watcher.output()).toEqual(expected('news', undefined));
    }
    // Without a topic: every topic's messages, each publisher's in order.
    const all = received(watchers.all, 'ticks');
    expect(
      all.filter((line) => line.startsWith('ticks A ')),
      watchers.all.output(),
    ).toEqual(expected('ticks', 'A'));
    expect(
      all.filter((line) => line.startsWith('ticks B ')),
      watchers.all.output(),
    ).toEqual(expected('ticks', 'B'));
    expect(all).toHaveLength(2 * ROUNDS);
    expect(received(watchers.all, 'news')).toEqual(expected('news', undefined));
    // Other topics never reach a topic subscriber, so nothing was rejected or logged as a problem.
    for (const watcher of Object.values(watchers)) expect(problems(watcher), watcher.output()).toEqual([]);
    for (const watcher of Object.values(watchers)) expect(await watcher.stop('SIGINT'), watcher.output()).toBe(0);
  });

  it('a topic subscriber decodes the seed’s framing msgpack(topic) + msgpack(payload) and skips other topics', async () => {
    const [ticksPort, newsPort] = await freePorts(2);
    const addresses = await temp.addresses({
      connections: { in: { ticks: { subscriber: loopback(ticksPort!) }, news: { subscriber: loopback(newsPort!) } } },
    });
    const ticks = new Publisher({ linger: 0 });
    const news = new Publisher({ linger: 0 });
    try {
      await ticks.bind(`tcp://127.0.0.1:${ticksPort}`);
      await news.bind(`tcp://127.0.0.1:${newsPort}`);
      const watcher = startSf(['-s', 'watcher.mjs', '-a', addresses, '--topic', 'B']);
      await watcher.ready();
      const frame = (topic: string, args: Record<string, unknown>) =>
        Buffer.concat([msgpackFixstr(topic), encodeRequest({ args, workflow_id: null })]);
      // Slow joiner: publish round 0 until the watcher has both subscriptions in place.
      const deadline = Date.now() + 10_000;
      while (!(watcher.lines.includes('ticks B 0') && watcher.lines.includes('news 0'))) {
        if (Date.now() > deadline) throw new Error(`the watcher never got the warm-up messages\n${watcher.output()}`);
        await ticks.send(frame('B', { source: 'B', n: 0 }));
        await news.send(encodeRequest({ args: { n: 0 }, workflow_id: null }));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      for (let n = 1; n <= ROUNDS; n += 1) {
        await ticks.send(frame('A', { source: 'A', n }));
        await ticks.send(frame('B', { source: 'B', n }));
        // A topic that starts with the subscribed one's bytes but is another topic: 'BB' ≠ 'B'.
        await ticks.send(frame('BB', { source: 'BB', n }));
        await news.send(encodeRequest({ args: { n }, workflow_id: null }));
      }
      await watcher.waitForLines(/^(ticks B|news) [1-9]/, 2 * ROUNDS);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(received(watcher, 'ticks'), watcher.output()).toEqual(expected('ticks', 'B'));
      expect(received(watcher, 'news'), watcher.output()).toEqual(expected('news', undefined));
      expect(problems(watcher), watcher.output()).toEqual([]);
      expect(await watcher.stop('SIGINT'), watcher.output()).toBe(0);
    } finally {
      ticks.close();
      news.close();
    }
  });
});
