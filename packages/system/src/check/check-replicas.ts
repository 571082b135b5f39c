import type { Addresses } from '@sf/core';
import type { InspectedService } from '../services/service-ends.js';
import type { Placement } from '../system-file/placement.js';
import type { Problem } from './problem.js';

/** A state has one writer (SPEC §1): a service with an `out` state cannot run as several replicas, each writing its own version. */
export function checkReplicatedWriters(services: readonly InspectedService[], replicas: (service: string) => number): Problem[] {
  return services.flatMap((service) => {
    const copies = replicas(service.name);
    if (copies < 2) return [];
    return service.ends
      .filter((end) => end.kind === 'state' && end.side === 'out')
      .map(
        (end): Problem => ({
          code: 'SF_WIRE_REPLICATED_WRITER',
          service: service.name,
          model: end.path,
          message:
            `'${end.typeName}' writes state '${end.name}', and a state has one writer: ${copies} replicas would each publish ` +
            'their own version and sequence, and readers would mix them',
          fix: `run one replica of ${service.name} ("replicas": 1), or move the state writing into a service of its own and scale the rest`,
        }),
      );
  });
}

/**
 * A Python 0.0.3 service reads one `host:port` per socket: where its connecting socket would need
 * the list of a replicated peer's addresses, it cannot connect to them.
 */
export function checkPythonLists(
  services: readonly InspectedService[],
  processes: readonly Placement[],
  byProcess: ReadonlyMap<string, Addresses>,
): Problem[] {
  const problems: Problem[] = [];
  for (const service of services.filter((one) => one.python)) {
    const process = processes.find((one) => one.service === service.name);
    const addresses = process === undefined ? undefined : byProcess.get(process.name);
    if (addresses === undefined) continue;
    for (const kind of ['connections', 'states'] as const) {
      for (const side of ['in', 'out'] as const) {
        for (const [name, sockets] of Object.entries(addresses[kind][side])) {
          for (const [socket, address] of Object.entries(sockets)) {
            if (!Array.isArray(address)) continue;
            problems.push({
              code: 'SF_WIRE_PYTHON_REPLICAS',
              service: service.name,
              model: `${kind === 'connections' ? 'connection_models' : 'state_models'}.${side}.${name}`,
              message:
                `its '${socket}' socket would connect to ${address.length} replicas (${address.join(', ')}), ` +
                'but a Python 0.0.3 service takes one address per socket',
              fix:
                'run one replica of the service it connects to, ' +
                'or run this service on the TypeScript framework, which connects to every replica',
            });
          }
        }
      }
    }
  }
  return problems;
}
