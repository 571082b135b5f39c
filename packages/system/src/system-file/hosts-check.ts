import { nearest, SystemError } from '@sf/core';
import type { SystemFile } from './system-types.js';

const WILDCARDS = new Set(['*', '0.0.0.0', '::', '[::]']);

/**
 * What `hosts` asks of the rest of the file, so that the same file gives the same addresses on
 * every host: ports numbered from a base (a free port would differ from host to host), no local
 * NATS servers (free ports too), every service placed on declared hosts, no wildcard host address
 * (a host binds its own address). Without `hosts`, a list of hosts has nothing to name.
 */
export function checkHosts(spec: SystemFile, file: string): void {
  const fail = (what: string, hint: string): never => {
    throw new SystemError(what, { file, hint });
  };
  const hosts = spec.hosts;
  if (hosts === undefined) {
    for (const [name, service] of Object.entries(spec.services)) {
      if (Array.isArray(service.host))
        fail(
          `services.${name}.host is a list, but the system declares no hosts to name`,
          'Declare the machines in "hosts": { "a": { "address": "10.0.0.1" }, "b": { "address": "10.0.0.2" } }, or give one address',
        );
    }
    return;
  }
  const names = Object.keys(hosts);
  for (const [name, host] of Object.entries(hosts)) {
    if (WILDCARDS.has(host.address))
      fail(
        `hosts.${name}.address is '${host.address}', a wildcard: other hosts cannot connect to it`,
        `Give the host's own address, e.g. "10.0.0.1"; its services bind exactly that address`,
      );
  }
  if (typeof spec.ports !== 'object')
    fail(
      'a system with "hosts" needs "ports": { "base": N }: free ports would differ from host to host',
      'Add "ports": { "base": 7000 } (any port range free on every host); each host then derives the same addresses from the file',
    );
  if (spec.nats !== undefined)
    fail(
      'a system with "hosts" cannot have "nats" (local NATS servers on free ports, on one machine)',
      'Run NATS servers on the hosts and list them per host: "hosts": { "a": { "address": "10.0.0.1", "nats": ["10.0.0.1:4222"] } }',
    );
  for (const [name, service] of Object.entries(spec.services)) {
    if (service.host === undefined)
      fail(
        `services.${name} has no host, but the system declares hosts (${names.join(', ')}): sf up --host would never start it`,
        `Place it: "host": "${names[0]}" (or a list of hosts for its replicas)`,
      );
    for (const host of [service.host].flat()) {
      if (host === undefined || Object.hasOwn(hosts, host)) continue;
      const near = nearest(host, new Set(names));
      fail(
        `services.${name}.host names '${host}', which is not in "hosts" (${names.join(', ')})`,
        near === undefined ? `Use one of ${names.join(', ')}, or declare it in "hosts"` : `Did you mean '${near}'?`,
      );
    }
  }
}
