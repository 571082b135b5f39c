import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from '@sf/core';
import { placeProcesses } from './placement.js';
import type { SystemFile } from './system-types.js';

describe('placeProcesses', () => {
  it('places replica k on host[(k - 1) % n], one process per replica, in the order of the file', () => {
    const spec: SystemFile = {
      hosts: { a: { address: '10.0.0.1' }, b: { address: '10.0.0.2' } },
      ports: { base: 7000 },
      services: { pricer: { service: 'p.ts', replicas: 3, host: ['a', 'b'] }, feed: { service: 'f.ts', host: 'b' } },
    };
    expect(placeProcesses({ spec }).map(({ name, replica, host, address }) => [name, replica, host, address])).toEqual([
      ['pricer#1', 1, 'a', '10.0.0.1'],
      ['pricer#2', 2, 'b', '10.0.0.2'],
      ['pricer#3', 3, 'a', '10.0.0.1'],
      ['feed', 1, 'b', '10.0.0.2'],
    ]);
  });

  it('without hosts: a service runs at its host address, else on loopback', () => {
    const spec: SystemFile = { services: { pricer: { service: 'p.ts', host: '10.0.0.9' }, feed: { service: 'f.ts', replicas: 2 } } };
    expect(placeProcesses({ spec }).map(({ name, host, address }) => [name, host, address])).toEqual([
      ['pricer', undefined, '10.0.0.9'],
      ['feed#1', undefined, '127.0.0.1'],
      ['feed#2', undefined, '127.0.0.1'],
    ]);
  });

  it('tells loopback addresses, on which one machine can run every host', () => {
    expect(['127.0.0.1', '127.0.0.2', 'localhost', '::1'].every(isLoopbackHost)).toBe(true);
    expect(['10.0.0.1', '0.0.0.0', 'host-a'].some(isLoopbackHost)).toBe(false);
  });
});
