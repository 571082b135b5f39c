import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { brokenFixture, ROOT, runSf } from '../src/run-sf.js';

const EXAMPLES = [
  'echo',
  'pubsub',
  'pipeline',
  'market-data',
  'external',
  'http-front-door',
  'third-party-connection/service',
  'nats-echo',
  'nats-market-data',
];

describe('sf check on the examples', () => {
  it.each(EXAMPLES)('%s passes', async (example) => {
    const result = await runSf(['check'], join(ROOT, 'examples', example));
    expect(result.stdout).toMatch(/no problems\n$/);
    expect(result.code).toBe(0);
  });

  it('market-data: its two delta states of mapOf(Decimal, Decimal) agree', async () => {
    const result = await runSf(['check', 'examples/market-data', '--json']);
    const states = JSON.parse(result.stdout).wires.filter((wire: { kind: string }) => wire.kind === 'state');
    expect(states.map((wire: { from: string; to: string }) => `${wire.from} -> ${wire.to}`)).toEqual([
      'market-data.bids -> strategy.bids',
      'market-data.asks -> strategy.asks',
    ]);
    expect(JSON.parse(result.stdout).problems).toEqual([]);
  });

  it('nats-echo: its three replyer replicas all connect to one local NATS server (no binder conflict)', async () => {
    const report = JSON.parse((await runSf(['check', 'examples/nats-echo', '--json'])).stdout);
    expect(report.problems).toEqual([]);
    expect(report.wires).toEqual([
      expect.objectContaining({
        from: 'requester.echo',
        to: 'replyer.echo',
        types: ['nats_requester', 'nats_replyer'],
        addresses: [expect.stringMatching(/^127\.0\.0\.1:\d+$/)],
      }),
    ]);
  });

  it('--json lists the wires with their types and addresses', async () => {
    const result = await runSf(['check', 'examples/market-data', '--json']);
    const report = JSON.parse(result.stdout);
    expect(report.ok).toBe(true);
    const state = report.wires.find((wire: { kind: string }) => wire.kind === 'state');
    expect(state).toMatchObject({ from: 'market-data.bids', to: 'strategy.bids', types: ['delta_update_out', 'delta_update_in'] });
    expect(state.addresses).toHaveLength(2);
    expect(state.addresses[0]).toMatch(/^127\.0\.0\.1:\d+$/);
  });
});

describe('wires entries', () => {
  it('join ends whose names differ', async () => {
    const result = await runSf(['check', brokenFixture('renamed'), '--json']);
    expect(JSON.parse(result.stdout).wires).toEqual([
      expect.objectContaining({ from: 'feed.ticks', to: 'watcher.prices', types: ['publisher', 'subscriber'] }),
    ]);
    expect(result.code).toBe(0);
  });
});

describe('sf check on broken systems: one precise line per problem, exit 1', () => {
  const cases: [string, string][] = [
    [
      'wrong-peer-type',
      "quoter: connection_models.in.quote: error SF_WIRE_PEER_TYPE: 'replyer' cannot receive from caller.quote, a 'publisher'; its peer types are requester (fix: use 'subscriber' here, or change caller.quote's type)",
    ],
    [
      'missing-argument',
      "quoter: connection_models.in.quote args.venue: error SF_WIRE_ARGUMENTS: required 'venue' (String) is never sent (fix: add 'venue' to caller's model, or make it optional on the receiver)",
    ],
    [
      'type-mismatch',
      'quoter: connection_models.in.quote args.symbol: error SF_WIRE_ARGUMENTS: caller.quote sends Number, the receiver expects String (fix: give it the same type on both ends)',
    ],
    [
      'map-value-mismatch',
      'reader: state_models.in.bids state<value>: error SF_WIRE_STATE: writer.bids sends Number, the receiver expects Decimal (fix: give it the same type on both ends)',
    ],
    [
      'topic-mismatch',
      "watcher: connection_models.in.ticks: error SF_WIRE_TOPIC: subscribes to topic 'ETH' but feed.ticks publishes with topic 'BTC', so no message arrives (fix: set topic: 'BTC' here)",
    ],
    [
      'unconnected-in',
      'watcher: connection_models.in.ticks: error SF_WIRE_UNCONNECTED: nothing sends to it: no service has connection_models.out.ticks (fix: add a service with connection_models.out.ticks (a publisher), or a "wires" entry {"from":"service.name","to":"watcher.ticks"}, or declare it an entry point called from outside: "entries": { "watcher.ticks": "host:port" })',
    ],
    [
      'bad-wire-end',
      "watcher: wires[0].to: error SF_WIRE_UNKNOWN_END: 'watcher.tick' names no in connection or state of watcher (fix: Did you mean 'ticks'?)",
    ],
  ];

  it.each(cases)('%s', async (name, line) => {
    const result = await runSf(['check', brokenFixture(name)]);
    expect(result.stdout.split('\n')[0]).toBe(line);
    expect(result.code).toBe(1);
  });

  it('duplicate-binder: two publishers fanning in to one subscriber both bind its address', async () => {
    const result = await runSf(['check', brokenFixture('duplicate-binder')]);
    const [line] = result.stdout.split('\n');
    expect(line).toMatch(
      /^feed-a: connection_models\.out\.ticks: error SF_WIRE_BINDERS: 2 sockets bind 127\.0\.0\.1:\d+: feed-a connection_models\.out\.ticks 'publisher', feed-b connection_models\.out\.ticks 'publisher' \(fix: only one side may bind an address: for fan-in to a subscriber give it is_binder: true and the publishers is_x_pub: true/,
    );
    expect(result.stdout).toMatch(/3 services, 2 wires, 1 problem\n$/);
    expect(result.code).toBe(1);
  });

  it('--json gives each problem its code, service, model and argument path', async () => {
    const result = await runSf(['check', brokenFixture('missing-argument'), '--json']);
    expect(JSON.parse(result.stdout).problems).toEqual([
      expect.objectContaining({
        code: 'SF_WIRE_ARGUMENTS',
        service: 'quoter',
        model: 'connection_models.in.quote',
        argument: 'args.venue',
      }),
    ]);
    expect(result.code).toBe(1);
  });
});

describe('sf check with a Python 0.0.3 service', () => {
  const dir = mkdtemp(join(tmpdir(), 'sf-python-'));
  afterAll(async () => rm(await dir, { recursive: true, force: true }));
  const system = async (type: string) => {
    const file = join(await dir, `${type}.system.json`);
    const caller = join(ROOT, 'test/systems/fixtures/broken/requester-quote.mjs');
    const quoter = { service: 'quoter.py', python: '/usr/bin/python3', interface: { connections: { in: { quote: type } } } };
    await writeFile(file, JSON.stringify({ services: { caller: { service: caller, main: true }, quoter } }));
    return file;
  };

  it('wires it by its declared interface and checks the peer types (its models cannot be loaded)', async () => {
    const result = await runSf(['check', await system('replyer'), '--json']);
    const report = JSON.parse(result.stdout);
    expect(report.wires).toEqual([expect.objectContaining({ from: 'caller.quote', to: 'quoter.quote', types: ['requester', 'replyer'] })]);
    expect(report.services[1]).toMatchObject({ name: 'quoter', python: true });
    expect(result.code).toBe(0);
  });

  it('reports a declared type that is no peer', async () => {
    const result = await runSf(['check', await system('subscriber')]);
    expect(result.stdout.split('\n')[0]).toBe(
      "quoter: connection_models.in.quote: error SF_WIRE_PEER_TYPE: 'subscriber' cannot receive from caller.quote, a 'requester'; its peer types are publisher (fix: use 'replyer' here, or change caller.quote's type)",
    );
    expect(result.code).toBe(1);
  });
});

describe('sf check on a malformed system file', () => {
  const dir = mkdtemp(join(tmpdir(), 'sf-system-'));
  afterAll(async () => rm(await dir, { recursive: true, force: true }));

  it('names the path in the file and a fix', async () => {
    const file = join(await dir, 'sf.system.json');
    await writeFile(file, JSON.stringify({ services: { pricer: { service: 'pricer.ts', replica: 2 } } }));
    const result = await runSf(['check', file]);
    expect(result.stderr).toBe(`sf: Unknown key 'replica' at services.pricer (file ${file}). Did you mean 'replicas'?\n`);
    expect(result.code).toBe(1);
  });

  it('refuses a "nats" entry without a server count', async () => {
    const file = join(await dir, 'nats.system.json');
    await writeFile(file, JSON.stringify({ services: { pricer: { service: 'pricer.ts' } }, nats: { servers: 0 } }));
    const result = await runSf(['check', file]);
    expect(result.stderr).toMatch(/^sf: .*nats\.servers.*\(file .*nats\.system\.json\)/);
    expect(result.code).toBe(1);
  });

  it('gives the allowed forms of a value that fits none', async () => {
    const file = join(await dir, 'ports.system.json');
    await writeFile(file, JSON.stringify({ services: { pricer: { service: 'pricer.ts' } }, ports: 'fre' }));
    const result = await runSf(['check', file]);
    expect(result.stderr).toMatch(
      /^sf: ports has none of the allowed forms \(found "fre"\) \(file .*\)\. How addresses are derived: "free" \(default\)/,
    );
    expect(result.code).toBe(1);
  });

  it('refuses a Python service run by both a module and a script, and a ready line that is no regular expression', async () => {
    const file = join(await dir, 'python.system.json');
    const quoter = (python: object) => ({ services: { quoter: { service: 'quoter.py', python, interface: {} } } });
    await writeFile(file, JSON.stringify(quoter({ module: 'service_framework', script: 'run.py' })));
    expect((await runSf(['check', file])).stderr).toMatch(
      /^sf: services\.quoter\.python has none of the allowed forms .*A Python service_framework 0\.0\.3 service/,
    );
    await writeFile(file, JSON.stringify(quoter({ ready: 'ready(' })));
    const result = await runSf(['check', file]);
    expect(result.stderr).toMatch(
      /^sf: services\.quoter\.python\.ready is not a regular expression: .*Unterminated group.* \(file .*\)\. Write a JavaScript regular expression/,
    );
    expect(result.code).toBe(1);
  });

  it('says which service file is missing', async () => {
    const file = join(await dir, 'missing.system.json');
    await writeFile(file, JSON.stringify({ services: { pricer: { service: 'nowhere.ts' } } }));
    const result = await runSf(['check', file]);
    expect(result.stdout).toMatch(/^pricer: error SF_[A-Z_]+: The service file does not exist/);
    expect(result.code).toBe(1);
  });
});
