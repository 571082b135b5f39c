import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@sf/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { brokenFixture, ROOT, runSf } from '../src/run-sf.js';
import { spawnSf, stopAll } from '../src/sf-process.js';

const ENTRIES = join(ROOT, 'test/systems/fixtures/entries');
const FIXTURES = join(ROOT, 'test/systems/fixtures/broken');

afterEach(stopAll);

describe('entry points: in ends called from outside the system', () => {
  it('sf check accepts them, with a stable address: given, or numbered from ports.base', async () => {
    const result = await runSf(['check', ENTRIES]);
    expect(result.stdout).toBe('entries: 2 services, 0 wires, 2 entry points, no problems\n');
    expect(result.code).toBe(0);
    const report = JSON.parse((await runSf(['check', ENTRIES, '--json'])).stdout);
    expect(report.entries).toEqual([
      { end: 'quoter.quote', type: 'replyer', addresses: { replyer: '127.0.0.1:17300' } },
      { end: 'watcher.ticks', type: 'subscriber', addresses: { subscriber: '127.0.0.1:17310' } },
    ]);
  });

  it('without the entry, the same in end is still reported as dangling', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sf-entries-'));
    try {
      const file = join(dir, 'sf.system.json');
      await writeFile(file, JSON.stringify({ services: { quoter: { service: join(FIXTURES, 'replyer-quote.mjs') } } }));
      const result = await runSf(['check', file]);
      expect(result.stdout.split('\n')[0]).toBe(
        'quoter: connection_models.in.quote: error SF_WIRE_UNCONNECTED: nothing sends to it: no service has connection_models.out.quote (fix: add a service with connection_models.out.quote (a requester), or a "wires" entry {"from":"service.name","to":"quoter.quote"}, or declare it an entry point called from outside: "entries": { "quoter.quote": "host:port" })',
      );
      expect(result.code).toBe(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses an entry on free ports (its address would change at every start) and one that names no in end', async () => {
    const free = await runSf(['check', brokenFixture('entry-free-port')]);
    expect(free.stdout.split('\n')[0]).toBe(
      'quoter: entries["quoter.quote"]: error SF_WIRE_ENTRY: an entry point needs a stable address, but "ports" is "free": its port would change at every sf up (fix: give it one, "quoter.quote": "127.0.0.1:7000", or number the ports from a base: "ports": { "base": 15200 })',
    );
    expect(free.code).toBe(1);
    const out = await runSf(['check', brokenFixture('entry-not-in')]);
    expect(out.stdout.split('\n')[0]).toBe(
      'caller: entries["caller.quote"]: error SF_WIRE_UNKNOWN_END: \'caller.quote\' names no in connection or state of caller (fix: caller has no in models)',
    );
    expect(out.code).toBe(1);
  });

  it('refuses a value the schema does not allow', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sf-entries-'));
    try {
      const file = join(dir, 'sf.system.json');
      await writeFile(file, JSON.stringify({ services: { quoter: { service: 'q.mjs' } }, entries: { 'quoter.quote': 7000 } }));
      const result = await runSf(['check', file]);
      expect(result.stderr).toMatch(
        /^sf: entries\.quoter\.quote has none of the allowed forms \(found 7000\) \(file .*\)\. An entry point's address: "host:port"/,
      );
      await writeFile(file, JSON.stringify({ services: { quoter: { service: 'q.mjs' } }, entries: { quoter: '127.0.0.1:7000' } }));
      expect((await runSf(['check', file])).stderr).toMatch(
        /^sf: entries 'quoter' is not of the form service\.name \(file .*\)\. Write the end as service\.name/,
      );
      expect(result.code).toBe(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('sf graph draws each entry point as a node outside the system, with its address', async () => {
    const result = await runSf(['graph', ENTRIES]);
    expect(result.stdout.split('\n')).toEqual([
      'flowchart LR',
      '  s0["quoter<br/><small>replyer-quote.mjs</small>"]',
      '  s1["watcher<br/><small>subscriber-ticks-btc.mjs</small>"]',
      '  e2>"outside → quoter.quote<br/><small>127.0.0.1:17300</small>"]',
      '  e3>"outside → watcher.ticks<br/><small>127.0.0.1:17310</small>"]',
      '  e2 -->|"quote: entry point → replyer<br/>{ symbol: String } → { mid: Decimal }"| s0',
      '  e3 -->|"ticks: entry point → subscriber, topic \'BTC\'<br/>{ price: Number }"| s1',
      '',
    ]);
    const dot = await runSf(['graph', ENTRIES, '--format', 'dot']);
    expect(dot.stdout).toContain('"outside → quoter.quote" [label="outside → quoter.quote\\n127.0.0.1:17300", shape=cds');
  });

  it('sf up prints where each entry point is, and a caller from outside (its own sf run) gets a reply there', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sf-entries-'));
    try {
      const port = await freePort();
      const system = {
        services: { quoter: { service: join(FIXTURES, 'replyer-quote.mjs') } },
        entries: { 'quoter.quote': `127.0.0.1:${port}` },
      };
      await writeFile(join(dir, 'sf.system.json'), JSON.stringify(system));
      const up = spawnSf(['up'], dir);
      await up.waitFor(new RegExp(`^sf up +\\| entry point quoter\\.quote \\(replyer\\) at 127\\.0\\.0\\.1:${port}$`));
      await writeFile(
        join(dir, 'caller.addresses.json'),
        JSON.stringify({ connections: { out: { quote: { requester: `127.0.0.1:${port}` } } } }),
      );
      const caller = spawnSf(['run', '-s', join(FIXTURES, 'requester-quote.mjs'), '-a', join(dir, 'caller.addresses.json'), '-m'], dir);
      expect(await caller.exited).toBe(0);
      expect(caller.lines, caller.lines.join('\n')).toContainEqual(expect.stringMatching(/^\{ mid: .*1\.5.* \}$/));
      up.child.kill('SIGINT');
      expect(await up.exited).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a misspelt connection name', () => {
  it('gives one problem with "did you mean", not two dangling ends', async () => {
    const result = await runSf(['check', brokenFixture('misspelt')]);
    expect(result.stdout).toBe(
      'quoter: connection_models.in.quote: error SF_WIRE_UNCONNECTED: nothing sends to it: no service has connection_models.out.quote, but caller has connection_models.out.qoute (a requester), wired to nothing (fix: Did you mean \'quote\'? Give both ends one name (rename caller\'s qoute to quote, or this one to qoute), or add a "wires" entry {"from":"caller.qoute","to":"quoter.quote"})\n' +
        'broken: 2 services, 0 wires, 1 problem\n',
    );
    expect(result.code).toBe(1);
  });
});

describe('an HTTP front door (http_replyer) is an entry point by its type', () => {
  const EXAMPLE = join(ROOT, 'examples/http-front-door');

  it('sf check: an entry point without an "entries" declaration, not a dangling in; sf graph draws it by its type', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sf-http-entry-'));
    try {
      const file = join(dir, 'sf.system.json');
      const services = { pricer: { service: join(EXAMPLE, 'pricer.ts') }, 'front-door': { service: join(EXAMPLE, 'front-door.ts') } };
      await writeFile(file, JSON.stringify({ name: 'door', services }));
      const result = await runSf(['check', file]);
      expect(result.stdout).toBe('door: 2 services, 1 wire, 1 entry point, no problems\n');
      expect(result.code).toBe(0);
      const graph = await runSf(['graph', file]);
      expect(graph.stdout).toContain('outside → front-door.quote<br/><small>http_replyer</small>');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('sf up prints its docs page; the live page links it', { timeout: 60_000 }, async () => {
    const port = await freePort();
    const sf = spawnSf(['up', '--ui', `127.0.0.1:${port}`], EXAMPLE);
    await sf.waitFor(
      /^sf up +\| entry point front-door\.quote \(http_replyer\) at 127\.0\.0\.1:15480, docs at http:\/\/127\.0\.0\.1:15480\/docs\/$/,
    );
    const [, url] = await sf.waitFor(/^sf up +\| live view at (http:\S+)$/);
    const status = (await (await fetch(new URL('status.json', url))).json()) as { entries: unknown[] };
    expect(status.entries).toEqual([{ label: 'front-door.quote (http_replyer)', docs: 'http://127.0.0.1:15480/docs/' }]);
    expect(await (await fetch(url!)).text()).toContain('drawEntries');
    const docs = await fetch('http://127.0.0.1:15480/docs/');
    expect(docs.status).toBe(200);
  });
});
