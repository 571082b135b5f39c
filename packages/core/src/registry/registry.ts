import { DuplicateTypeError, PluginError } from '../errors.js';
import type { Plugin, TypeDefinition } from '../plugin/contract.js';
import { CORE_MAJOR, CORE_VERSION } from './core-version.js';
import { installCommand } from './install-command.js';
import { type TypeLookup, unknownTypeError } from './unknown-type.js';
import { assertPluginShape } from './validate-plugin.js';

/** A type name resolved to the plugin that provides it. */
export interface ResolvedType {
  /** The plugin that provides the type. */
  plugin: Plugin;
  /** The type's own name (the canonical one, also when it was looked up by an alias). */
  name: string;
  /** The type's definition. */
  definition: TypeDefinition;
}

/** Maps `connection_type` / `state_type` names to the plugins that provide them. */
export interface Registry {
  /**
   * Adds a plugin. Checks its shape, its `@sf/core` major and that none of its names is taken;
   * registering the same plugin again is a no-op.
   */
  register(plugin: Plugin): void;
  /** The type called `typeName` (or aliased so); throws `UnknownTypeError` listing what is registered. */
  resolve(typeName: string, where?: TypeLookup): ResolvedType;
  /** Whether a type name or alias is registered. */
  has(name: string): boolean;
  /** Every registered type under its canonical name, sorted by name. */
  types(): ResolvedType[];
  /** Registered plugins, in registration order. */
  plugins(): Plugin[];
}

/** Creates an empty registry. */
export function createRegistry(): Registry {
  return new TypeRegistry();
}

class TypeRegistry implements Registry {
  readonly #plugins: Plugin[] = [];
  /** Type name or alias → resolved type. */
  readonly #byName = new Map<string, ResolvedType>();

  register(plugin: Plugin): void {
    if (this.#plugins.includes(plugin)) return;
    assertPluginShape(plugin);
    if (plugin.coreMajor !== CORE_MAJOR) throw incompatible(plugin);
    if (this.#isSecondCopy(plugin)) return;
    const entries: [string, ResolvedType][] = [];
    for (const [name, definition] of Object.entries(plugin.types)) {
      const resolved = { plugin, name, definition };
      for (const claimed of [name, ...(definition.aliases ?? [])]) {
        const owner = this.#byName.get(claimed);
        if (owner !== undefined) throw duplicate(claimed, owner.plugin, plugin);
        entries.push([claimed, resolved]);
      }
    }
    for (const [claimed, resolved] of entries) this.#byName.set(claimed, resolved);
    this.#plugins.push(plugin);
  }

  resolve(typeName: string, where: TypeLookup = {}): ResolvedType {
    const found = this.#byName.get(typeName);
    if (found !== undefined && (where.kind === undefined || found.definition.kind === where.kind)) return found;
    const known = [...this.#byName].map(([name, entry]) => ({ name, kind: entry.definition.kind }));
    throw unknownTypeError(typeName, known, where);
  }

  has(name: string): boolean {
    return this.#byName.has(name);
  }

  types(): ResolvedType[] {
    const unique = new Set(this.#byName.values());
    return [...unique].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  plugins(): Plugin[] {
    return [...this.#plugins];
  }

  /**
   * Whether `plugin` is another copy of an already registered package with the same types (the same
   * package loaded twice, e.g. imported by the service and found by discovery): kept once.
   */
  #isSecondCopy(plugin: Plugin): boolean {
    const names = Object.keys(plugin.types).sort().join('\0');
    return this.#plugins.some((other) => other.name === plugin.name && Object.keys(other.types).sort().join('\0') === names);
  }
}

function incompatible(plugin: Plugin): PluginError {
  return new PluginError(
    'SF_PLUGIN_INCOMPATIBLE',
    `Plugin '${plugin.name}' was built for @sf/core ${plugin.coreMajor}.x, but the running @sf/core is ${CORE_VERSION}`,
    {
      hint:
        plugin.coreMajor < CORE_MAJOR
          ? `Install a version of ${plugin.name} built for @sf/core ${CORE_MAJOR}.x (\`${installCommand(`${plugin.name}@latest`)}\`)`
          : `Install @sf/core ${plugin.coreMajor}.x (\`${installCommand(`@sf/core@${plugin.coreMajor}`)}\`), ` +
            `or a version of ${plugin.name} built for @sf/core ${CORE_MAJOR}.x`,
    },
  );
}

function duplicate(name: string, first: Plugin, second: Plugin): DuplicateTypeError {
  if (first.name === second.name) {
    return new DuplicateTypeError(`Two different copies of plugin '${first.name}' both provide type '${name}'`, {
      hint: `Make sure one version of ${first.name} is installed (\`pnpm why ${first.name}\`, then \`pnpm dedupe\`)`,
    });
  }
  return new DuplicateTypeError(`Type '${name}' is provided by two plugins: '${first.name}' and '${second.name}'`, {
    hint: `Remove one of ${first.name} and ${second.name} from the service's project, or rename the type in one of them`,
  });
}
