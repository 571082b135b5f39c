import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareService } from '@sf/core';
import { type Channel, deriveAddresses } from '../addresses/derive-addresses.js';
import { type NatsPlan, planNats } from '../nats/nats-plan.js';
import { inspectServices } from '../services/inspect-services.js';
import type { InspectedService } from '../services/service-ends.js';
import type { LoadedSystem } from '../system-file/system-types.js';
import { docsUrl, type Entry, type EntryPoint, readEntries } from '../wires/entries.js';
import { pairWires, type Wire } from '../wires/pair-wires.js';
import { placeProcesses, type Placement } from '../system-file/placement.js';
import { checkBinders, checkUnconnected, checkWires, peersAgree } from './check-wires.js';
import { checkPythonLists, checkReplicatedWriters } from './check-replicas.js';
import { type Problem, problemFromError } from './problem.js';
import { writeCurveFiles } from '../keys/curve-files.js';

/** One process `sf up` starts: a replica of a service, placed on a host, with its own addresses file. */
export interface SystemProcess extends Placement {
  /** Path of its addresses file in the run folder (`<name>.addresses.json`; `pricer#2.addresses.json` for replica 2). */
  readonly addressesFile: string;
  /** Path of its creation-arguments file (`sf run --creation`): the CurveZMQ keys of its wires that cross hosts. */
  readonly creationFile?: string;
}

/** A system loaded, wired, addressed and checked: what `sf check`, `sf graph` and `sf up` work from. */
export interface SystemAnalysis {
  /** The system file. */
  readonly system: LoadedSystem;
  /** Its services, each prepared (no sockets) when it could be. */
  readonly services: readonly InspectedService[];
  /** Every wire. */
  readonly wires: readonly Wire[];
  /** Every address with its sockets. */
  readonly channels: readonly Channel[];
  /** The entry points (`entries`): `in` ends called from outside, with the address of each socket. */
  readonly entries: readonly EntryPoint[];
  /** Every process (one per replica of each service), in the order of the file: where it runs and its addresses file. */
  readonly processes: readonly SystemProcess[];
  /** The local NATS servers `sf up` starts (the system file's `nats`), their ports chosen. */
  readonly nats?: NatsPlan;
  /** Every problem found, services first, then wires. */
  readonly problems: readonly Problem[];
}

/**
 * Loads every service of the system (no sockets), wires them, derives and writes each one's
 * addresses file to `runDir` (a temporary folder, removed afterwards, when not given), prepares
 * each service as `sf run` would, and checks every wire.
 */
export async function analyseSystem(system: LoadedSystem, runDir?: string): Promise<SystemAnalysis> {
  const dir = runDir ?? (await mkdtemp(join(tmpdir(), 'sf-check-')));
  try {
    const inspection = await inspectServices(system);
    const paired = pairWires(inspection.services, system.spec.wires ?? []);
    const declared = readEntries(system, inspection.services);
    // Ends of mismatched types share no address: their sockets would not talk anyway.
    const nats = await planNats(system);
    const placements = placeProcesses(system);
    const derived = await deriveAddresses(system, placements, inspection.services, paired.wires.filter(peersAgree), nats, declared.entries);
    const processes: SystemProcess[] = [];
    for (const placement of placements) {
      const addressesFile = join(dir, `${placement.name}.addresses.json`);
      await writeFile(addressesFile, `${JSON.stringify(derived.byProcess.get(placement.name), null, 2)}\n`);
      processes.push({ ...placement, addressesFile });
    }
    // Encrypted wires between hosts: each service's curve creation arguments, the same for its replicas.
    const entryEnds = new Set(declared.entries.map((entry) => entry.end));
    const curve = await writeCurveFiles(system, inspection.services, placements, derived.channels, dir, entryEnds);
    for (const [index, process] of processes.entries()) {
      const creationFile = curve.creationFiles.get(process.service);
      if (creationFile !== undefined) processes[index] = { ...process, creationFile };
    }
    const serviceProblems: Problem[] = [...inspection.problems];
    const failed = new Set(inspection.problems.map((problem) => problem.service));
    // Replica 1 stands for them all: the replicas differ only in their addresses.
    const firstProcess = new Map<string, SystemProcess>();
    for (const process of processes) if (!firstProcess.has(process.service)) firstProcess.set(process.service, process);
    for (const service of inspection.services) {
      if (service.python || failed.has(service.name)) continue;
      const first = firstProcess.get(service.name)!;
      try {
        service.prepared = await prepareService({
          ...runOptions(system, service.name),
          // The plugins inspection found in its project: no second discovery per service.
          ...(service.plugins !== undefined && { plugins: service.plugins, discover: false }),
          addresses: first.addressesFile,
          ...(first.creationFile !== undefined && { creation: first.creationFile }),
        });
        for (const end of service.ends) end.model = service.prepared.models.find((model) => model.path === end.path);
      } catch (error) {
        serviceProblems.push(problemFromError(service.name, error));
      }
    }
    const replicas = (name: string) => system.spec.services[name]?.replicas ?? 1;
    const problems = [
      ...serviceProblems,
      ...paired.problems,
      ...declared.problems,
      ...checkWires(paired.wires),
      ...checkUnconnected(inspection.services, paired.wires, entryEnds),
      ...checkBinders(derived.channels, replicas),
      ...checkReplicatedWriters(inspection.services, replicas),
      ...checkPythonLists(inspection.services, processes, derived.byProcess),
      ...curve.problems,
    ];
    return {
      system,
      services: inspection.services,
      wires: paired.wires,
      channels: derived.channels,
      entries: entryPoints(declared.entries, derived.channels),
      processes,
      problems,
      ...(nats && { nats }),
    };
  } finally {
    if (runDir === undefined) await rm(dir, { recursive: true, force: true });
  }
}

function entryPoints(entries: readonly Entry[], channels: readonly Channel[]): EntryPoint[] {
  return entries.map(({ end, automatic }) => {
    const addresses: Record<string, string> = {};
    for (const channel of channels) {
      for (const socket of channel.sockets) {
        // A replicated entry point: one address per replica.
        if (socket.end === end) addresses[socket.name] = [addresses[socket.name], channel.address].filter(Boolean).join(', ');
      }
    }
    const docs = docsUrl(end, addresses);
    return { end, addresses, ...(docs !== undefined && { docs }), ...(automatic === true && { automatic }) };
  });
}

/** How `sf run` is asked to run one service of the system: service file, config file and pairs, main mode. */
export function runOptions(
  system: LoadedSystem,
  name: string,
): { service: string; config?: string; extra: Record<string, string>; mainMode: boolean; cwd: string } {
  const spec = system.spec.services[name]!;
  const extra = Object.fromEntries(Object.entries(spec.extra ?? {}).map(([key, value]) => [key, String(value)]));
  return {
    service: spec.service,
    ...(spec.config !== undefined && { config: spec.config }),
    extra,
    mainMode: spec.main === true,
    cwd: system.dir,
  };
}
