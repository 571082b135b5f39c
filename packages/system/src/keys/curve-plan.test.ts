import type { TypeDefinition } from '@sf/core/plugin';
import { describe, expect, it } from 'vitest';
import type { Channel } from '../addresses/derive-addresses.js';
import type { End } from '../services/service-ends.js';
import type { LoadedSystem, SystemFile } from '../system-file/system-types.js';
import { planCurve } from './curve-plan.js';

const zmq = (side: 'in' | 'out', addresses: string[]): TypeDefinition => ({
  side,
  kind: 'connection',
  peers: [],
  addresses,
  replies: true,
  creationArguments: { optional: { curve: Object } },
  create: () => {
    throw new Error('not in this test');
  },
});

function end(service: string, side: 'in' | 'out', name: string, socket: string, definition = zmq(side, [socket])): End {
  return { service, kind: 'connection', side, name, path: `connection_models.${side}.${name}`, typeName: 'x', definition };
}

function system(spec: Partial<SystemFile> = {}): LoadedSystem {
  return {
    file: '/sys/sf.system.json',
    dir: '/sys',
    name: 'sys',
    spec: { services: {}, ...spec },
    addresses: { connections: { in: {}, out: {} }, states: { in: {}, out: {} } },
    restart: { backoff_ms: 1, max_backoff_ms: 1, max_restarts: 1 },
  };
}

const pricer = end('pricer', 'in', 'price', 'replyer');
const strategy = end('strategy', 'out', 'price', 'requester');
const monitor = end('monitor', 'out', 'price', 'requester');
const priceWire: Channel = {
  address: '10.0.0.1:7000',
  sockets: [
    { end: pricer, name: 'replyer' },
    { end: strategy, name: 'requester' },
    { end: monitor, name: 'requester' },
  ],
};
const HOSTS: Record<string, string[]> = { pricer: ['a'], strategy: ['b'], monitor: ['a'] };

describe('planCurve', () => {
  it('encrypts a wire whose services run on several hosts: the binder lets in exactly its peers, each peer checks the binder', () => {
    const plan = planCurve(
      system(),
      [priceWire],
      (service) => HOSTS[service] ?? [],
      () => false,
      '/run',
    );
    const allowed = '/run/pricer.connections.price.allowed';
    expect(plan.byService.get('pricer')?.connections.in.price).toEqual({
      curve: { key_file: '/sys/keys/pricer.key', allowed_clients_file: allowed },
    });
    for (const client of ['strategy', 'monitor']) {
      expect(plan.byService.get(client)?.connections.out.price).toEqual({
        curve: { key_file: `/sys/keys/${client}.key`, server_public_key_file: '/sys/keys/pricer.pub' },
      });
    }
    expect(plan.allowedFiles.get(allowed)).toEqual(['/sys/keys/monitor.pub', '/sys/keys/strategy.pub']);
    expect(plan.problems).toEqual([]);
  });

  it('leaves a wire inside one host plain', () => {
    const plan = planCurve(
      system(),
      [priceWire],
      () => ['a'],
      () => false,
      '/run',
    );
    expect(plan.byService.size).toBe(0);
    expect(plan.allowedFiles.size).toBe(0);
  });

  it('warns, and stays plain, where a wire crosses hosts with a Python 0.0.3 end or with encryption turned off', () => {
    const python = planCurve(
      system(),
      [priceWire],
      (service) => HOSTS[service] ?? [],
      (service) => service === 'monitor',
      '/run',
    );
    expect(python.byService.size).toBe(0);
    expect(python.problems).toMatchObject([{ code: 'SF_WIRE_CLEAR', severity: 'warning', service: 'pricer' }]);
    expect(python.problems[0]!.message).toMatch(/monitor is a Python 0\.0\.3 service/);
    const off = planCurve(
      system({ encryption: false }),
      [priceWire],
      (service) => HOSTS[service] ?? [],
      () => false,
      '/run',
    );
    expect(off.byService.size).toBe(0);
    expect(off.problems[0]!.message).toMatch(/turns encryption off/);
  });

  it('leaves an entry point plain, with a warning: its callers from outside have no key', () => {
    const plan = planCurve(
      system(),
      [priceWire],
      (service) => HOSTS[service] ?? [],
      () => false,
      '/run',
      new Set([pricer]),
    );
    expect(plan.byService.size).toBe(0);
    expect(plan.problems).toMatchObject([{ code: 'SF_WIRE_CLEAR', severity: 'warning' }]);
    expect(plan.problems[0]!.message).toMatch(/pricer\.price is an entry point/);
  });
});
