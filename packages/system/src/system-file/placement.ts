import type { LoadedSystem, SystemFile } from './system-types.js';

/** The address of a service with no `host` (and of a system without `hosts`): loopback only. */
export const LOOPBACK = '127.0.0.1';

/** One process of the system: one replica of one service, placed on a host. */
export interface Placement {
  /** The process's name: the service's, with `#k` when it has several replicas. */
  readonly name: string;
  /** The system's service name. */
  readonly service: string;
  /** Its replica number, from 1. */
  readonly replica: number;
  /** How many replicas its service has. */
  readonly replicas: number;
  /** The name of its host in `hosts`, when the system declares hosts. */
  readonly host: string | undefined;
  /** The address its binding sockets bind and its peers connect to. */
  readonly address: string;
}

/** The process name of replica `replica` of `replicas`: `pricer`, or `pricer#2`. */
export function processName(service: string, replica: number, replicas: number): string {
  return replicas > 1 ? `${service}#${replica}` : service;
}

/**
 * Every process of the system in the order of the file, each replica placed: with `hosts`, replica
 * k of a service whose `host` lists n hosts runs on the ((k - 1) mod n)-th; without, on its `host`
 * address (default loopback). Deterministic: the same file gives the same placement on every host.
 */
export function placeProcesses(system: Pick<LoadedSystem, 'spec'>): Placement[] {
  return Object.entries(system.spec.services).flatMap(([service, spec]) => {
    const replicas = spec.replicas ?? 1;
    const hosts = spec.host === undefined ? [] : [spec.host].flat();
    return Array.from({ length: replicas }, (_, index): Placement => {
      const host = hosts.length === 0 ? undefined : hosts[index % hosts.length]!;
      const declared = host === undefined ? undefined : system.spec.hosts?.[host];
      return {
        name: processName(service, index + 1, replicas),
        service,
        replica: index + 1,
        replicas,
        host: system.spec.hosts === undefined ? undefined : host,
        address: declared?.address ?? (system.spec.hosts === undefined ? host : undefined) ?? LOOPBACK,
      };
    });
  });
}

/** The declared host names, in the order of the file. */
export function hostNames(spec: SystemFile): string[] {
  return Object.keys(spec.hosts ?? {});
}
