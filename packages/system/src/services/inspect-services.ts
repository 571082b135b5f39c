import { dirname, resolve } from 'node:path';
import { createRegistry, discoverPlugins, loadServiceModule, type Registry } from '@sf/core';
import type { Plugin } from '@sf/core/plugin';
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
 * project). Python services give their types in `interface`.
 */
export async function inspectServices(system: LoadedSystem): Promise<Inspection> {
  const problems: Problem[] = [];
  const services = Object.entries(system.spec.services).map(([name, spec]): InspectedService => {
    const python = spec.python !== undefined && spec.python !== false;
    return { name, file: resolve(system.dir, spec.service), main: spec.main === true, python, ends: [] };
  });
  const registries: Registry[] = [];
  // Services in one project share its plugins: found once per folder, not once per service.
  const found = new Map<string, Promise<Plugin[]>>();
  const pluginsIn = (dir: string) => {
    if (!found.has(dir)) found.set(dir, discoverPlugins(dir));
    return found.get(dir)!;
  };
  for (const service of services.filter((candidate) => !candidate.python)) {
    try {
      const declared = await moduleTypes(service.file, system.dir);
      service.plugins = await pluginsIn(dirname(service.file));
      const registry = registryOf(service.plugins);
      registries.push(registry);
      // An unknown type is reported when the service is prepared.
      service.ends.push(...declared.map((entry) => resolveEnd(service.name, entry, registry, service.file, [])));
    } catch (error) {
      problems.push(problemFromError(service.name, error));
    }
  }
  const pythons = services.filter((candidate) => candidate.python);
  // Python services' types resolve through the plugins next to the system file, else those of the JavaScript services.
  if (pythons.length > 0) registries.unshift(await pluginsIn(system.dir).then(registryOf, () => createRegistry()));
  for (const service of pythons) {
    const spec = system.spec.services[service.name]!;
    if (spec.interface === undefined) problems.push(missingInterface(service.name, spec));
    for (const entry of interfaceTypes(spec.interface)) {
      const registry = registries.find((candidate) => candidate.has(String(entry.typeName))) ?? registries[0]!;
      service.ends.push(resolveEnd(service.name, entry, registry, system.file, problems));
    }
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

function registryOf(plugins: readonly Plugin[]): Registry {
  const registry = createRegistry();
  for (const plugin of plugins) registry.register(plugin);
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
