import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '@sf/core/testing';
import { analyseSystem, errorsOf, loadSystem, systemGraph, toDot, toMermaid } from '@sf/system';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ROOT, runSf } from '../src/run-sf.js';
import { isAlive, spawnSf, stopAll } from '../src/sf-process.js';

afterEach(stopAll);

const dir = mkdtemp(join(tmpdir(), 'sf-hosts-'));
afterAll(async () => rm(await dir, { recursive: true, force: true }));

const fixture = (name: string) => join(ROOT, 'test/systems/fixtures', name);
const HOSTS = { a: { address: '127.0.0.1' }, b: { address: '127.0.0.2' } };

/** Writes a system file into the test folder (and, across hosts, its services' key pairs with `sf keys`); resolves to its path. */
async function system(name: string, spec: object): Promise<string> {
  const file = join(await dir, `${name}.system.json`);
  await writeFile(file, JSON.stringify({ name, ...spec }));
  // A file the test means to be refused fails here too: its check says why.
  if ('hosts' in spec) await runSf(['keys', file]);
  return file;
}

/** A replicated replyer (replica 1 on host a, 2 on host b) and a caller on host a. */
const replicated = (base: number, extra: object = {}) => ({
  hosts: HOSTS,
  ports: { base },
  services: {
    who: { service: fixture('hosts/who.mjs'), replicas: 2, host: ['a', 'b'] },
    caller: { service: fixture('hosts/caller.mjs'), main: true, host: 'a', extra: { calls: 150, every_ms: 20 } },
  },
  ...extra,
});

/** The same on one machine, without hosts. */
const local = {
  who: { service: fixture('hosts/who.mjs'), replicas: 2 },
  caller: { service: fixture('hosts/caller.mjs'), main: true },
};

/** The addresses files an analysis writes, by file name. */
async function addressFiles(file: string): Promise<Record<string, unknown>> {
  const runDir = await mkdtemp(join(await dir, 'run-'));
  const analysis = await analyseSystem(await loadSystem(file), runDir);
  expect(errorsOf(analysis.problems)).toEqual([]);
  const files: Record<string, unknown> = {};
  for (const name of (await readdir(runDir)).sort()) {
    if (name.endsWith('.addresses.json')) files[name] = JSON.parse(await readFile(join(runDir, name), 'utf8'));
  }
  return files;
}

describe('addresses of a system across hosts', () => {
  it('are derived from the file alone: one addresses file per process, one address per replica on its host, the list for peers', async () => {
    const file = await system('derive', replicated(17400));
    const first = await addressFiles(file);
    expect(first).toEqual({
      'caller.addresses.json': {
        connections: { in: {}, out: { who: { requester: ['127.0.0.1:17400', '127.0.0.2:17401'] } } },
        states: { in: {}, out: {} },
      },
      'who#1.addresses.json': { connections: { in: { who: { replyer: '127.0.0.1:17400' } }, out: {} }, states: { in: {}, out: {} } },
      'who#2.addresses.json': { connections: { in: { who: { replyer: '127.0.0.2:17401' } }, out: {} }, states: { in: {}, out: {} } },
    });
    // The same file on another host (another analysis) gives the same addresses.
    expect(await addressFiles(file)).toEqual(first);
  });

  it("gives each NATS endpoint its host's NATS servers (hosts.<name>.nats)", async () => {
    const nats = (name: string) => join(ROOT, 'examples/nats-echo', name);
    const file = await system('nats-hosts', {
      hosts: { a: { address: '127.0.0.1', nats: ['127.0.0.1:4222'] }, b: { address: '127.0.0.2', nats: ['127.0.0.2:4222'] } },
      ports: { base: 17400 },
      services: {
        replyer: { service: nats('replyer.ts'), replicas: 2, host: ['a', 'b'] },
        requester: { service: nats('requester.ts'), main: true, host: 'b' },
      },
    });
    const files = await addressFiles(file);
    const server = (name: string) => JSON.stringify(files[`${name}.addresses.json`]).match(/"nats":"([^"]+)"/)?.[1];
    expect([server('replyer#1'), server('replyer#2'), server('requester')]).toEqual(['127.0.0.1:4222', '127.0.0.2:4222', '127.0.0.2:4222']);
  });

  it('sf check --json lists every process with its host', async () => {
    const report = JSON.parse((await runSf(['check', '--json', await system('report', replicated(17400))])).stdout);
    expect(report.processes).toEqual([
      { name: 'who#1', service: 'who', replica: 1, host: 'a', address: '127.0.0.1' },
      { name: 'who#2', service: 'who', replica: 2, host: 'b', address: '127.0.0.2' },
      { name: 'caller', service: 'caller', replica: 1, host: 'a', address: '127.0.0.1' },
    ]);
    expect(report.wires[0].addresses).toEqual(['127.0.0.1:17400', '127.0.0.2:17401']);
  });

  it.each([
    [
      'no ports base',
      { ports: undefined },
      /a system with "hosts" needs "ports": \{ "base": N \}: free ports would differ from host to host.*Add "ports": \{ "base": 7000 \}/s,
    ],
    [
      'a service without a host',
      { services: { who: { service: fixture('hosts/who.mjs') } } },
      /services\.who has no host, but the system declares hosts \(a, b\).*"host": "a"/s,
    ],
    [
      'an unknown host',
      { services: { who: { service: fixture('hosts/who.mjs'), host: ['a', 'bb'] } } },
      /services\.who\.host names 'bb', which is not in "hosts" \(a, b\).*Did you mean 'b'\?/s,
    ],
    ['a wildcard host address', { hosts: { a: { address: '0.0.0.0' } } }, /hosts\.a\.address is '0\.0\.0\.0', a wildcard/],
    ['local NATS servers', { nats: { servers: 1 } }, /a system with "hosts" cannot have "nats".*"nats": \["10\.0\.0\.1:4222"\]/s],
    [
      'a host list without hosts',
      { hosts: undefined, services: { who: { service: fixture('hosts/who.mjs'), host: ['a'] } } },
      /services\.who\.host is a list, but the system declares no hosts to name/,
    ],
  ])('are refused with %s (SF_SYSTEM_INVALID, with the fix)', async (name, change, message) => {
    const result = await runSf(['check', await system(name.replace(/\W/g, '-'), { ...replicated(17400), ...change })]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
  });
});

describe('sf check on replicas', () => {
  it('no longer counts replicas of a binding service as binders, but still two services on one address', async () => {
    const ok = await runSf(['check', await system('replicas-ok', { services: local })]);
    expect(ok.stdout).toMatch(/2 services, 1 wire, no problems\n$/);
    const conflict = await runSf(['check', fixture('broken/duplicate-binder.system.json')]);
    expect(conflict.stdout).toMatch(/error SF_WIRE_BINDERS: 2 sockets bind/);
  });

  it('reports replicas that share one explicit address', async () => {
    const file = await system('shared-address', {
      services: local,
      addresses: { connections: { in: { who: { replyer: '127.0.0.1:17499' } } } },
    });
    const result = await runSf(['check', file]);
    expect(result.stdout).toMatch(
      /^who: connection_models\.in\.who: error SF_WIRE_BINDERS: 2 sockets bind 127\.0\.0\.1:17499: who \(replica 1\) .*, who \(replica 2\) .*give a list with one address per replica/m,
    );
  });

  it('refuses a replicated state writer (SF_WIRE_REPLICATED_WRITER)', async () => {
    const file = await system('writer', {
      services: {
        book: { service: fixture('broken/book-writer-number.mjs'), replicas: 2, main: true },
        reader: { service: fixture('broken/book-reader.mjs') },
      },
    });
    const result = await runSf(['check', file]);
    expect(result.stdout).toMatch(
      /^book: state_models\.out\.bids: error SF_WIRE_REPLICATED_WRITER: 'delta_update_out' writes state 'bids', and a state has one writer: 2 replicas .*\(fix: run one replica of book/m,
    );
    expect(result.code).toBe(1);
  });

  it('refuses a Python 0.0.3 socket that would connect to replicas (SF_WIRE_PYTHON_REPLICAS)', async () => {
    const file = await system('python-list', {
      services: {
        quoter: {
          service: fixture('python/quoter.py'),
          python: true,
          interface: { connections: { in: { ask: 'replyer' }, out: { tell: 'requester' } } },
        },
        teller: { service: fixture('python/teller.mjs'), replicas: 2 },
        caller: { service: fixture('python/caller.mjs'), main: true },
      },
    });
    const result = await runSf(['check', file]);
    expect(result.stdout).toMatch(
      /^quoter: connection_models\.out\.tell: error SF_WIRE_PYTHON_REPLICAS: its 'requester' socket would connect to 2 replicas \(127\.0\.0\.1:\d+, 127\.0\.0\.1:\d+\), but a Python 0\.0\.3 service takes one address per socket \(fix: run one replica/m,
    );
  });
});

describe('sf graph groups services by host', () => {
  it('as Mermaid subgraphs and DOT clusters', async () => {
    const file = await system('graph', {
      ...replicated(17400),
      services: { ...replicated(17400).services, solo: { service: fixture('hosts/caller.mjs'), main: true, host: 'b' } },
    });
    const graph = systemGraph(await analyseSystem(await loadSystem(file)));
    expect(graph.groups).toEqual([
      { label: 'host a · 127.0.0.1', nodes: ['caller'] },
      { label: 'host b · 127.0.0.2', nodes: ['solo'] },
      { label: 'hosts a, b', nodes: ['who'] },
    ]);
    const mermaid = toMermaid(graph);
    expect(mermaid).toContain('  subgraph h0 ["host a · 127.0.0.1"]\n    s1(["caller<br/>');
    expect(mermaid).toContain('  subgraph h2 ["hosts a, b"]\n    s0["who<br/>');
    const dot = toDot(graph);
    expect(dot).toMatch(/ {2}subgraph cluster_host1 \{\n {4}label="host b · 127\.0\.0\.2";.*\n {4}"solo" \[label=/);
  });
});

describe('sf init --hosts', () => {
  it('writes a system across hosts: services placed in turn, ports from a base, and it checks', async () => {
    const file = join(await dir, 'init', 'sf.system.json');
    const example = join(ROOT, 'examples/pipeline');
    const result = await runSf(
      ['init', 'order-feed.ts', 'pricer.ts', 'risk-check.ts', '--hosts', 'a=10.0.0.1,b=10.0.0.2', '-o', file],
      example,
    );
    expect(result.stdout).toBe(
      `Wrote ${file} (3 services across 2 hosts; write their keys with sf keys, then start each with sf up --host NAME). Check it with: sf check ${file}\n`,
    );
    const spec = JSON.parse(await readFile(file, 'utf8'));
    expect(spec.hosts).toEqual({ a: { address: '10.0.0.1' }, b: { address: '10.0.0.2' } });
    expect(spec.ports).toEqual({ base: 7000 });
    expect(Object.values(spec.services).map((service) => (service as { host: string }).host)).toEqual(['a', 'b', 'a']);
    expect((await runSf(['keys', file])).code).toBe(0);
    const check = await runSf(['check', file, '--json']);
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout).wires.map((wire: { addresses: string[] }) => wire.addresses)).toEqual([
      ['10.0.0.1:7000'],
      ['10.0.0.2:7001'],
    ]);
  });

  it('refuses a pair that is not name=address', async () => {
    const result = await runSf(
      ['init', 'pricer.ts', '--hosts', 'a=10.0.0.1,b', '-o', join(await dir, 'bad.json')],
      join(ROOT, 'examples/pipeline'),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--hosts: 'b' is not name=address/);
  });
});

describe('sf up --host', () => {
  it('refuses an unknown host, listing the hosts, and asks for one when a host is not on loopback', async () => {
    const file = await system('usage', replicated(17400));
    const unknown = await runSf(['up', '--host', 'c', file]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--host c: no such host in the system; its hosts are a, b/);
    const remote = await system('remote', { ...replicated(17400), hosts: { a: HOSTS.a, b: { address: '10.0.0.2' } } });
    const missing = await runSf(['up', remote]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/the system runs on several hosts \(a, b\): say which one this is with --host NAME/);
  });

  it('two hosts, each its own sf up: calls reach both replicas; SIGKILL of host b and calls go on on host a, none lost', async () => {
    const file = await system('two-hosts', replicated(await freeBase(2)));
    // Host b first, as its own process group (a machine of its own): its replica serves before the caller starts.
    const hostB = spawnSf(['up', '--host', 'b', file], ROOT, undefined, { detached: true });
    await hostB.waitFor(/^sf up +\| host b \(127\.0\.0\.2\): 1 of 3 processes run here$/);
    const [, pidB] = await hostB.waitFor(/^sf up +\| started who#2 \(pid (\d+)\)$/);
    await hostB.waitFor(/^sf up +\| who#2 ready$/);
    const hostA = spawnSf(['up', '--host', 'a', '--once', file]);
    const [, pidA] = await hostA.waitFor(/^sf up +\| started who#1 \(pid (\d+)\)$/);
    expect(hostA.lines.some((line) => /started who#2/.test(line))).toBe(false);
    // Calls spread over both replicas (ZeroMQ's round-robin over the connected ones).
    const answeredBy = (pid: string) => hostA.lines.filter((line) => line.endsWith(` answered by ${pid}`)).length;
    for (let wait = 0; wait < 200 && (answeredBy(pidA!) < 10 || answeredBy(pidB!) < 10); wait += 1) await sleep(25);
    expect(answeredBy(pidA!)).toBeGreaterThanOrEqual(10);
    expect(answeredBy(pidB!)).toBeGreaterThanOrEqual(10);

    // Host b is lost: its sf up and its replica die at once, without a word.
    const killedAt = hostA.lines.length;
    process.kill(-hostB.child.pid!, 'SIGKILL');
    process.kill(Number(pidB), 'SIGKILL');
    expect(await hostA.exited).toBe(0);
    expect(isAlive(Number(pidB))).toBe(false);
    const answers = hostA.lines.map((line) => /^caller +\| caller: call (\d+) answered by (\d+)$/.exec(line)).filter(Boolean);
    const after = hostA.lines
      .slice(killedAt)
      .map((line) => /^caller +\| caller: call \d+ answered by (\d+)$/.exec(line)?.[1])
      .filter(Boolean);
    const byPid = (pid: string) => answers.filter((match) => match![2] === pid).length;
    console.log(
      `two hosts: ${answers.length} calls answered, ${byPid(pidA!)} by host a, ${byPid(pidB!)} by host b, ${after.length} after b was killed`,
    );
    expect(hostA.lines).toContainEqual(expect.stringMatching(/^caller +\| caller: done, 150 calls, 0 failed$/));
    expect(answers.map((match) => Number(match![1]))).toEqual(Array.from({ length: 150 }, (_, index) => index + 1));
    expect(after.length).toBeGreaterThan(50);
    // The first call after the kill may have been answered by b just before it died; every later one by a.
    expect(after.slice(1).every((pid) => pid === pidA)).toBe(true);
  });

  it('without --host on loopback hosts, starts every host on this machine', async () => {
    const file = await system('all-local', replicated(await freeBase(2), {}));
    const spec = JSON.parse(await readFile(file, 'utf8'));
    spec.services.caller.extra = { calls: 20, every_ms: 10 };
    await writeFile(file, JSON.stringify(spec));
    const sf = spawnSf(['up', '--once', file]);
    expect(await sf.exited).toBe(0);
    const started = sf.lines.filter((line) => /\| started /.test(line)).map((line) => line.replace(/^.*started (\S+).*$/, '$1'));
    expect(started).toEqual(['who#1', 'who#2', 'caller']);
    expect(sf.lines).toContainEqual(expect.stringMatching(/^caller +\| caller: done, 20 calls, 0 failed$/));
  });
});

/** A port p such that p … p + count - 1 are free on 127.0.0.1 and 127.0.0.2 (ports.base of a test system). */
async function freeBase(count: number): Promise<number> {
  for (;;) {
    const base = await freePort();
    const ports = Array.from({ length: count }, (_, index) => base + index);
    const free = await Promise.all(ports.flatMap((port) => ['127.0.0.1', '127.0.0.2'].map((host) => canListen(host, port))));
    if (free.every(Boolean)) return base;
  }
}

function canListen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}
