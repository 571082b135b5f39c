import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, listen } from '@sf/core/testing';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ROOT } from '../src/run-sf.js';
import { isAlive, spawnSf, stopAll } from '../src/sf-process.js';

afterEach(stopAll);

const EXAMPLES: [string, RegExp][] = [
  ['echo', /^requester +\| echo: sent 'pong', got 'PONG' \(#2\)$/],
  ['pubsub', /^btc-watcher +\| btc-watcher: news 'round 2 published'$/],
  ['pipeline', /^risk-check +\| risk-check: o-3 notional 699\.65 -> REVIEW$/],
  ['market-data', /^market-data +\| market-data: the strategy quotes mid 64000\.5 \(spread 0\.5, 5 levels\)$/],
  ['external', /^canceller +\| canceller: o-2-filled could not be cancelled$/],
  ['http-front-door', /^caller +\| caller: DOGE -> 404 \{"error":\{"type":"PublicError","code":"UNKNOWN_SYMBOL"/],
  ['third-party-connection/service', /^receiver +\| receiver: SOL at 0\.3, total 0\.6$/],
];

describe('sf up --once runs each example system and stops it', () => {
  it.each(EXAMPLES)('%s', async (example, expected) => {
    const sf = spawnSf(['up', '--once'], join(ROOT, 'examples', example));
    expect(await sf.exited).toBe(0);
    expect(sf.lines).toContainEqual(expect.stringMatching(expected));
    expect(sf.lines.at(-1)).toMatch(/^sf up +\| every service stopped$/);
  });

  it('starts a state reader and a replier before the main-mode writer that calls it', async () => {
    const sf = spawnSf(['up', '--once'], join(ROOT, 'examples/market-data'));
    expect(await sf.exited).toBe(0);
    const started = sf.lines
      .filter((line) => /\| (started|stopping) /.test(line))
      .map((line) => line.replace(/^.*\| /, '').replace(/ \(pid \d+\)/, ''));
    expect(started).toEqual(['started strategy', 'started market-data', 'stopping strategy']);
  });
});

describe('sf up start order', () => {
  const fixture = (path: string) => join(ROOT, 'test/systems/fixtures', path);

  it('starts services that need nothing of each other together, a requester only once its replier is ready, main mode last', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sf-up-order-'));
    try {
      const file = join(dir, 'sf.system.json');
      const entry = `127.0.0.1:${await freePort()}`;
      await writeFile(
        file,
        JSON.stringify({
          name: 'order',
          services: {
            relay: { service: fixture('stop/relay.mjs') },
            teller: { service: fixture('python/teller.mjs') },
            'relay-2': { service: fixture('stop/relay.mjs') },
            'teller-2': { service: fixture('python/teller.mjs') },
            caller: { service: fixture('python/caller.mjs'), main: true },
          },
          wires: [
            { from: 'caller.ask', to: 'relay.ask' },
            { from: 'relay.tell', to: 'teller.tell' },
            { from: 'relay-2.tell', to: 'teller-2.tell' },
          ],
          entries: { 'relay-2.ask': entry },
        }),
      );
      const sf = spawnSf(['up', file], dir);
      await sf.waitFor(/^caller +\| caller: asked 'round 1', got 'ROUND 1'$/);
      sf.child.kill('SIGINT');
      expect(await sf.exited).toBe(0);
      const at = (pattern: RegExp) => {
        const index = sf.lines.findIndex((line) => pattern.test(line));
        expect(index, `${pattern} in\n${sf.lines.join('\n')}`).toBeGreaterThanOrEqual(0);
        return index;
      };
      // The two tellers need nothing: both start before either is ready.
      expect(at(/^sf up +\| started teller-2 /)).toBeLessThan(at(/^sf up +\| teller ready$/));
      // A relay calls its teller: it starts once sf up has seen that one ready.
      expect(at(/^sf up +\| started relay /)).toBeGreaterThan(at(/^sf up +\| teller ready$/));
      expect(at(/^sf up +\| started relay-2 /)).toBeGreaterThan(at(/^sf up +\| teller-2 ready$/));
      // Main mode after every serving service is ready.
      for (const name of ['relay', 'relay-2', 'teller', 'teller-2'])
        expect(at(/^sf up +\| started caller /)).toBeGreaterThan(at(new RegExp(`^sf up +\\| ${name} ready$`)));
      // Stopped in the reverse of the start order, whatever the timing of the starts.
      const stops = sf.lines.filter((line) => /^sf up +\| stopping /.test(line)).map((line) => line.replace(/^.*stopping /, ''));
      expect(stops).toEqual(['caller', 'relay-2', 'teller-2', 'relay', 'teller']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('sf up supervises the services', () => {
  it('restarts a service killed with SIGKILL; SIGINT stops every service and leaves no process behind', async () => {
    const sf = spawnSf(['up'], join(ROOT, 'examples/pipeline'));
    const [, firstPid] = await sf.waitFor(/^sf up +\| started pricer \(pid (\d+)\)$/);
    const [, riskPid] = await sf.waitFor(/^sf up +\| started risk-check \(pid (\d+)\)$/);
    await sf.waitFor(/^sf up +\| order-feed finished$/);

    const before = sf.lines.length;
    process.kill(Number(firstPid), 'SIGKILL');
    await sf.waitFor(/^sf up +\| pricer was killed by SIGKILL; restarting in 500 ms \(crash 1 of 5 allowed\)$/);
    const [, secondPid] = await sf.waitFor(new RegExp(`^sf up +\\| started pricer \\(pid (?!${firstPid}\\))(\\d+)\\)$`));
    expect(secondPid).not.toBe(firstPid);
    await sf.waitFor(/^sf up +\| pricer ready$/, before);

    sf.child.kill('SIGINT');
    expect(await sf.exited).toBe(0);
    const stops = sf.lines.filter((line) => /^sf up +\| stopping /.test(line));
    expect(stops).toEqual([expect.stringMatching(/stopping risk-check$/), expect.stringMatching(/stopping pricer$/)]);
    expect(sf.lines).toContainEqual(expect.stringMatching(/^risk-check +\| .*\[risk-check\] stopped risk-check \{"exit_code":0\}/));
    expect(sf.lines).toContainEqual(expect.stringMatching(/^pricer +\| .*\[pricer\] stopped pricer \{"exit_code":0\}/));
    for (const pid of [firstPid, secondPid, riskPid]) expect(isAlive(Number(pid))).toBe(false);
    const status = sf.lines
      .slice(
        sf.lines.findIndex((line) => /\| service +pid +state/.test(line)),
        -1,
      )
      .map((line) => line.replace(/^sf up +\| /, '').split(/ {2,}/));
    expect(status).toEqual([
      ['service', 'pid', 'state', 'up', 'restarts', 'last error'],
      ['pricer', secondPid, 'stopped', '-', '1', 'was killed by SIGKILL'],
      ['risk-check', riskPid, 'stopped', '-', '0', '-'],
      ['order-feed', expect.stringMatching(/^\d+$/), 'finished', '-', '0', '-'],
    ]);
  });

  it('when sf up itself is killed with SIGKILL, its services see their standard input close and stop', async () => {
    const sf = spawnSf(['up'], join(ROOT, 'examples/pipeline'));
    const [, pricerPid] = await sf.waitFor(/^sf up +\| started pricer \(pid (\d+)\)$/);
    const [, riskPid] = await sf.waitFor(/^sf up +\| started risk-check \(pid (\d+)\)$/);
    await sf.waitFor(/^sf up +\| risk-check ready$/);
    sf.child.kill('SIGKILL');
    await sf.exited;
    const pids = [pricerPid, riskPid].map(Number);
    for (let wait = 0; wait < 300 && pids.some(isAlive); wait += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(pids.filter(isAlive)).toEqual([]);
  });

  describe('replicas', () => {
    const dir = mkdtemp(join(tmpdir(), 'sf-replicas-'));
    afterAll(async () => rm(await dir, { recursive: true, force: true }));
    const system = async (name: string, services: object) => {
      const file = join(await dir, `${name}.system.json`);
      await writeFile(file, JSON.stringify({ name, services }));
      return file;
    };
    const pubsub = (file: string) => join(ROOT, 'examples/pubsub', file);

    it('of a connecting service each get every message', async () => {
      const file = await system('fan-out', {
        'btc-watcher': { service: pubsub('btc-watcher.ts'), replicas: 2 },
        'eth-watcher': { service: pubsub('eth-watcher.ts') },
        publisher: { service: pubsub('publisher.ts'), main: true, extra: { rounds: 2 } },
      });
      const sf = spawnSf(['up', '--once', file]);
      expect(await sf.exited).toBe(0);
      for (const copy of ['btc-watcher#1', 'btc-watcher#2']) {
        expect(sf.lines).toContainEqual(expect.stringMatching(new RegExp(`^${copy} +\\| btc-watcher: news 'round 2 published'$`)));
      }
    });

    it('of a binding service each bind an address of their own, and the peers connect to all (a replicated publisher)', async () => {
      const file = await system('two-publishers', {
        'btc-watcher': { service: pubsub('btc-watcher.ts') },
        'eth-watcher': { service: pubsub('eth-watcher.ts') },
        publisher: { service: pubsub('publisher.ts'), main: true, replicas: 2, extra: { rounds: 2 } },
      });
      const sf = spawnSf(['up', '--once', file]);
      expect(await sf.exited).toBe(0);
      const news = sf.lines.filter((line) => /^btc-watcher +\| btc-watcher: news 'round 2 published'$/.test(line));
      expect(news).toHaveLength(2);
    });
  });

  describe('a service that cannot start', () => {
    const dir = mkdtemp(join(tmpdir(), 'sf-up-'));
    let held: Server | undefined;
    afterAll(async () => {
      held?.close();
      await rm(await dir, { recursive: true, force: true });
    });

    it('is restarted with back-off, then reported as a crash loop', async () => {
      held = await listen(0);
      const port = (held.address() as { port: number }).port;
      const file = join(await dir, 'sf.system.json');
      await writeFile(
        file,
        JSON.stringify({
          name: 'crashing',
          services: {
            quoter: { service: join(ROOT, 'test/systems/fixtures/broken/replyer-quote.mjs') },
            caller: { service: join(ROOT, 'test/systems/fixtures/broken/requester-quote.mjs'), main: true },
          },
          addresses: { connections: { in: { quote: { replyer: `127.0.0.1:${port}` } } } },
          restart: { backoff_ms: 50, max_backoff_ms: 100, max_restarts: 2 },
        }),
      );
      const sf = spawnSf(['up', file]);
      await sf.waitFor(/^sf up +\| quoter exited with code 1.*; restarting in 50 ms \(crash 1 of 2 allowed\)$/);
      await sf.waitFor(/^sf up +\| quoter exited with code 1.*; restarting in 100 ms \(crash 2 of 2 allowed\)$/);
      await sf.waitFor(/^sf up +\| crash loop: quoter crashed 3 times in a row \(exited with code 1: .*\); not restarting it$/);
      sf.child.kill('SIGTERM');
      expect(await sf.exited).toBe(0);
    });
  });
});
