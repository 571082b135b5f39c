// sf up on the NATS examples: it starts a local nats-server cluster first, gives the services its
// addresses, and stops it last, leaving no process and no store behind.
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { natsAvailability } from '@sf/conn-nats/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from '../src/run-sf.js';
import { isAlive, type SfProcess, spawnSf, stopAll } from '../src/sf-process.js';

afterEach(stopAll);

const nats = natsAvailability();
const stores = () => readdirSync(tmpdir()).filter((name) => name.startsWith('sf-up-nats-'));
const STARTED_NATS =
  /^sf up +\| started a cluster of 3 nats-servers at (127\.0\.0\.1:\d+), (127\.0\.0\.1:\d+), (127\.0\.0\.1:\d+) \(pid (\d+), (\d+), (\d+)\)$/;

/** Every pid `sf up` reported starting: its nats-servers and its services. */
function startedPids(sf: SfProcess): number[] {
  const servers = sf.lines.map((line) => line.match(STARTED_NATS)).find(Boolean);
  expect(servers, 'sf up reports the nats-servers it started').toBeTruthy();
  const services = sf.lines.map((line) => line.match(/^sf up +\| started [\w#-]+ \(pid (\d+)\)$/)?.[1]).filter((pid) => pid !== undefined);
  return [...servers!.slice(4, 7), ...services].map(Number);
}

describe.skipIf(!nats.binary)(`sf up with "nats": { "servers": 3 }${nats.skip}`, () => {
  it('nats-echo --once: the requests are split over the three replyer replicas, then everything stops', async () => {
    const before = stores();
    const sf = spawnSf(['up', '--once'], join(ROOT, 'examples/nats-echo'));
    expect(await sf.exited).toBe(0);
    const replies = sf.lines
      .map((line) => line.match(/^requester +\| echo: sent '(\w)', got '(\w)' \(#(\d+)\)$/))
      .filter((match) => match !== null);
    expect(replies.map((match) => `${match[1]}${match[2]}`)).toEqual(['aA', 'bB', 'cC', 'dD', 'eE', 'fF', 'gG', 'hH', 'iI']);
    // Each replica counts its own requests: more than one first request means more than one replica answered.
    expect(replies.filter((match) => match[3] === '1').length).toBeGreaterThan(1);
    const stops = sf.lines.filter((line) => /^sf up +\| stopping /.test(line));
    expect(stops.at(-1)).toMatch(/stopping the nats-servers$/);
    expect(sf.lines.at(-1)).toMatch(/^sf up +\| every service stopped$/);
    expect(startedPids(sf).filter(isAlive)).toEqual([]);
    expect(stores().filter((name) => !before.includes(name))).toEqual([]);
  }, 120_000);

  it('nats-market-data until SIGINT: the KV states and the quote flow, then the servers stop last', async () => {
    const before = stores();
    const sf = spawnSf(['up'], join(ROOT, 'examples/nats-market-data'));
    await sf.waitFor(/^market-data +\| market-data: the strategy quotes mid 64000\.5 \(spread 0\.5, 5 levels\)$/);
    await sf.waitFor(/^sf up +\| market-data finished$/);
    const pids = startedPids(sf);
    expect(pids).toHaveLength(5);
    sf.child.kill('SIGINT');
    expect(await sf.exited).toBe(0);
    const stops = sf.lines.filter((line) => /^sf up +\| stopping /.test(line)).map((line) => line.replace(/^sf up +\| /, ''));
    expect(stops).toEqual(['stopping strategy', 'stopping the nats-servers']);
    expect(pids.filter(isAlive)).toEqual([]);
    expect(stores().filter((name) => !before.includes(name))).toEqual([]);
  }, 120_000);
});
