import { dirname, resolve } from 'node:path';
import { createRegistry, loadServiceModule, type Registry, registerDiscovered } from '@sf/core';
import type { Kind, Side } from '@sf/core/plugin';
import { type Problem, problemFromError } from '../check/problem.js';
import type { LoadedSystem, ServiceInterface, SystemService } from '../system-file/system-types.js';
import { type End, type InspectedService, modelPath } from './service-ends.js';

const KINDS = [
  ['connection', 'connection_models', 'connections', 'connection_type'],
  ['state', 'state_models', 'states', 'state_type'],
] as const;
const SIDES: readonly Side[] = ['in', 'out'];

/** What {@link inspectServices} found: every service's ends, and the problems that stopped it. */
export interface Inspection {
  /** Every service, in the order of the system file. */
  services: InspectedService[];
  /** Services that could not be loaded, or models whose type no plugin provides. */
  problems: Problem[];
}

/**
 * Reads the connection and state models of every service, without sockets or addresses: the
 * type of each model and its plugin definition (from the plugins installed in the service's
 * project). Python services give their types in `interface`, resolved by the system folder's plugins.
 */
export async function inspectServices(system: LoadedSystem): Promise<Inspection> {
  const services: InspectedService[] = [];
  const problems: Problem[] = [];
  let shared: Promise<Registry> | undefined;
  for (const [name, spec] of Object.entries(system.spec.services)) {
    const file = resolve(system.dir, spec.service);
    const service: InspectedService = { name, file, main: spec.main === true, python: spec.python !== undefined && spec.python !== false, ends: [] };
    services.push(service);
    try {
      const declared = service.python ? interfaceTypes(spec.interface) : await moduleTypes(file, system.dir);
      // Python services' types resolve through the plugins installed next to the system file.
      if (service.python) shared ??= registryFor(system.dir);
      const registry = await (service.python && shared ? shared : registryFor(dirname(file)));
      // A JavaScript service's unknown type is reported when it is prepared; a Python one's only here.
      const report = service.python ? problems : [];
      service.ends.push(...declared.map((entry) => resolveEnd(name, entry, registry, service.python ? system.file : file, report)));
    } catch (error) {
      problems.push(problemFromError(name, error));
    }
    if (service.python && spec.interface === undefined) problems.push(missingInterface(name, spec));
  }
  return { services, problems };
}

interface DeclaredType {
  kind: Kind;
  side: Side;
  name: string;
  typeName: unknown;
}

async function moduleTypes(file: string, cwd: string): Promise<DeclaredType[]> {
  const { exports } = await loadServiceModule(file, cwd);
  const found: DeclaredType[] = [];
  for (const [kind, section, , typeKey] of KINDS) {
    const models = exports[section] as Record<Side, Record<string, Record<string, unknown> | undefined> | undefined> | undefined;
    for (const side of SIDES) {
      for (const [name, model] of Object.entries(models?.[side] ?? {})) found.push({ kind, side, name, typeName: model?.[typeKey] });
    }
  }
  return found;
}

function interfaceTypes(declared: ServiceInterface | undefined): DeclaredType[] {
  const found: DeclaredType[] = [];
  for (const [kind, , section] of KINDS) {
    for (const side of SIDES) {
      for (const [name, typeName] of Object.entries(declared?.[section]?.[side] ?? {})) found.push({ kind, side, name, typeName });
    }
  }
  return found;
}

function resolveEnd(service: string, declared: DeclaredType, registry: Registry, file: string, problems: Problem[]): End {
  const path = modelPath(declared.kind, declared.side, declared.name);
  const typeName = typeof declared.typeName === 'string' ? declared.typeName : '';
  let definition: End['definition'];
  try {
    definition = registry.resolve(typeName, { kind: declared.kind, service: file, model: path }).definition;
  } catch (error) {
    problems.push(problemFromError(service, error));
  }
  return { service, kind: declared.kind, side: declared.side, name: declared.name, path, typeName, definition };
}

async function registryFor(dir: string): Promise<Registry> {
  const registry = createRegistry();
  await registerDiscovered(registry, dir);
  return registry;
}

function missingInterface(name: string, spec: SystemService): Problem {
  return {
    code: 'SF_SYSTEM_INVALID',
    service: name,
    message: `The Python service ${spec.service} declares no interface, so none of its connections or states can be wired`,
    fix: 'Add "interface": { "connections": { "in": { "name": "replyer" } } } with its models\' types',
  };
}
