import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { createJiti } from 'jiti';
import { readJsonFile } from '../config/read-json-file.js';
import { PluginError } from '../errors.js';
import type { Plugin } from '../plugin/contract.js';
import { isPlainObject, isRecord } from '../util/describe-value.js';
import { FIRST_PARTY_TYPES, isFirstPartyPluginPackage } from './first-party.js';
import { packageEntry } from './package-entry.js';
import { findInstalledPackage, findNearestPackageJson, type PackageManifest } from './package-lookup.js';
import type { Registry } from './registry.js';
import { assertPluginShape } from './validate-plugin.js';

const SECTIONS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;

/**
 * Finds the plugins installed in the project that holds `fromDir`: the nearest package.json at
 * or above it, and each of its dependencies, dev and optional dependencies that is a plugin.
 * A package is a plugin when its own package.json says so (`"sf": { "plugin": true }`), never by
 * its name: a support package such as `@sf/state-store` is simply not imported. Each plugin is
 * imported from the project's folder (ESM `exports`, `import` condition); the plugin is its
 * default export, or its export `plugin`.
 *
 * A runtime dependency, or a first-party plugin package (one named in `FIRST_PARTY_TYPES`), that
 * is declared but not installed cannot be inspected: a `PluginError` (`SF_PLUGIN_MISSING`) tells
 * to run the install. Other missing dev and optional dependencies are skipped (a production
 * install leaves them out). No package.json: no plugins.
 *
 * With `types` (the type names a service uses), a first-party plugin package that provides none of
 * them is not imported: `sf run` then loads only what its service needs (a plugin's own
 * dependencies cost every start-up that imports it). Third-party plugins are always imported, and
 * when a type is still missing every candidate is, so an unknown type is reported among them all.
 */
export async function discoverPlugins(fromDir: string, types?: ReadonlySet<string>): Promise<Plugin[]> {
  const manifestPath = await findNearestPackageJson(fromDir);
  if (manifestPath === undefined) return [];
  const projectDir = dirname(manifestPath);
  const manifest = (await readJsonFile(manifestPath, "service project's package.json")) as PackageManifest;

  const candidates: { name: string; dir: string; manifest: PackageManifest }[] = [];
  const missing: string[] = [];
  for (const [name, section] of declaredDependencies(manifest)) {
    const dir = await findInstalledPackage(name, projectDir);
    if (dir === undefined) {
      if (section === 'dependencies' || isFirstPartyPluginPackage(name)) missing.push(name);
    } else {
      const installed = await readManifest(dir);
      if (installed.sf?.plugin === true) candidates.push({ name, dir, manifest: installed });
    }
  }
  if (missing.length > 0) {
    throw new PluginError('SF_PLUGIN_MISSING', `Packages declared in ${manifestPath} are not installed: ${missing.join(', ')}`, {
      hint: `Run \`pnpm install\` in ${projectDir}`,
    });
  }

  const parentURL = pathToFileURL(manifestPath).href;
  const load = async (chosen: typeof candidates) => {
    const plugins: Plugin[] = [];
    for (const { name, dir, manifest: installed } of chosen) plugins.push(await importPlugin(name, dir, installed, parentURL));
    return plugins;
  };
  if (types === undefined) return load(candidates);
  const needed = candidates.filter(
    ({ name }) => !isFirstPartyPluginPackage(name) || [...types].some((type) => FIRST_PARTY_TYPES[type] === name),
  );
  const plugins = await load(needed);
  const provided = (type: string) => plugins.some((plugin) => Object.hasOwn(plugin.types, type));
  return [...types].every(provided) ? plugins : load(candidates);
}

/**
 * Discovers the plugins installed in the project holding `fromDir` and registers them; returns them.
 * With `types`, a first-party plugin that provides none of them is left out (see {@link discoverPlugins}).
 */
export async function registerDiscovered(registry: Registry, fromDir: string, types?: ReadonlySet<string>): Promise<Plugin[]> {
  const plugins = await discoverPlugins(fromDir, types);
  for (const plugin of plugins) registry.register(plugin);
  return plugins;
}

/** Declared dependency names (sorted) with the first section that declares each. */
function declaredDependencies(manifest: PackageManifest): Map<string, (typeof SECTIONS)[number]> {
  const found = new Map<string, (typeof SECTIONS)[number]>();
  for (const section of SECTIONS) {
    const entries = manifest[section];
    if (!isPlainObject(entries)) continue;
    for (const name of Object.keys(entries)) if (!found.has(name)) found.set(name, section);
  }
  return new Map([...found].sort(([a], [b]) => (a < b ? -1 : 1)));
}

async function readManifest(dir: string): Promise<PackageManifest> {
  try {
    const manifest: unknown = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    return isPlainObject(manifest) ? manifest : {};
  } catch {
    // An unreadable dependency manifest cannot mark a plugin; the dependency is simply not one.
    return {};
  }
}

async function importPlugin(name: string, dir: string, manifest: PackageManifest, parentURL: string): Promise<Plugin> {
  const url = packageEntry(dir, manifest) ?? (await resolver()).esmResolve(name, { parentURL, try: true });
  if (url === undefined) {
    throw new PluginError('SF_PLUGIN_INVALID', `Plugin package '${name}' (installed at ${dir}) has no entry point to import`, {
      hint: `Check its package.json "exports"/"main"; if it is a workspace package, build it first`,
    });
  }
  let module: Record<string, unknown>;
  try {
    module = await import(url);
  } catch (error) {
    throw new PluginError(
      'SF_PLUGIN_INVALID',
      `Plugin package '${name}' could not be loaded: ${(error as Error)?.message ?? String(error)}`,
      {
        file: url.startsWith('file:') ? fileURLToPath(url) : url,
        hint: `Reinstall it (\`pnpm install\`); if it is a workspace package, build it first`,
        cause: error,
      },
    );
  }
  const plugin = pickPluginExport(module);
  if (plugin === undefined) {
    throw new PluginError('SF_PLUGIN_INVALID', `Package '${name}' is marked as a plugin but exports no plugin`, {
      hint: 'A plugin package default-exports its definePlugin({...}) object (or exports it as `plugin`)',
    });
  }
  assertPluginShape(plugin, `The plugin exported by '${name}'`);
  return plugin;
}

/**
 * The default export, else the export named `plugin` (or a CommonJS `module.exports.default`);
 * one that has `types` is preferred, so a malformed plugin still reaches the shape check.
 */
function pickPluginExport(module: Record<string, unknown>): unknown {
  const nested = isRecord(module.default) ? module.default.default : undefined;
  const candidates = [module.default, module.plugin, nested].filter((value) => value !== undefined);
  return candidates.find((value) => isRecord(value) && 'types' in value) ?? candidates[0];
}

let jiti: ReturnType<typeof createJiti> | undefined;

/** One lazily created jiti, used only for its ESM resolver (resolution from any folder) where `packageEntry` cannot tell. */
async function resolver(): Promise<ReturnType<typeof createJiti>> {
  jiti ??= (await import('jiti')).createJiti(import.meta.url);
  return jiti;
}
