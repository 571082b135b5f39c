import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PluginError } from '../errors.js';
import { CORE_MAJOR } from './core-version.js';
import { discoverPlugins, registerDiscovered } from './discover-plugins.js';
import { findInstalledPackage, findNearestPackageJson } from './package-lookup.js';
import { createRegistry } from './registry.js';

let root: string;

async function write(path: string, content: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
}

/** An ESM package whose entry is only reachable through `exports` with the `import` condition. */
async function esmPackage(dir: string, name: string, source: string, extra: Record<string, unknown> = {}): Promise<void> {
  await write(join(dir, 'package.json'), {
    name,
    version: '1.0.0',
    type: 'module',
    exports: { '.': { import: './dist/index.js' } },
    ...extra,
  });
  await write(join(dir, 'dist/index.js'), source);
}

const pluginSource = (name: string, type: string, exportLine = 'export default plugin;') => `
const plugin = {
  name: ${JSON.stringify(name)},
  coreMajor: ${CORE_MAJOR},
  types: {
    ${type}: { side: 'out', kind: 'connection', peers: [], addresses: ['socket'], replies: false,
      create: () => ({ open: async () => {}, close: async () => {} }) },
  },
};
${exportLine}
`;

async function project(name: string, manifest: Record<string, unknown>): Promise<string> {
  const dir = join(root, name);
  await write(join(dir, 'package.json'), { name, private: true, ...manifest });
  return dir;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sf-discover-'));
  // A package store outside any project, linked in like pnpm does.
  await esmPackage(join(root, 'store/acme-conn'), '@acme/conn-http', pluginSource('@acme/conn-http', 'http_out', 'export { plugin };'), {
    sf: { plugin: true },
  });
  const app = await project('app', {
    dependencies: {
      '@sf/conn-demo': '1.0.0',
      '@acme/conn-http': '1.0.0',
      'plain-lib': '1.0.0',
      'hoisted-plugin': '1.0.0',
      '@sf/state-store': '1.0.0',
    },
    devDependencies: { 'dev-tool-not-installed': '1.0.0', '@sf/state-helpers-not-installed': '1.0.0' },
    optionalDependencies: { 'optional-not-installed': '1.0.0' },
  });
  await esmPackage(join(app, 'node_modules/@sf/conn-demo'), '@sf/conn-demo', pluginSource('@sf/conn-demo', 'demo_out'), {
    sf: { plugin: true },
  });
  await mkdir(join(app, 'node_modules/@acme'), { recursive: true });
  await symlink(join(root, 'store/acme-conn'), join(app, 'node_modules/@acme/conn-http'), 'dir');
  await esmPackage(join(app, 'node_modules/plain-lib'), 'plain-lib', 'throw new Error("a non-plugin must not be imported");');
  // A first-party support package: named like a state plugin, but not one (no `sf.plugin`).
  await esmPackage(join(app, 'node_modules/@sf/state-store'), '@sf/state-store', 'export const persistPath = () => undefined;');
  // Installed one level up, as in a workspace with hoisted dependencies.
  await esmPackage(join(root, 'node_modules/hoisted-plugin'), 'hoisted-plugin', pluginSource('hoisted-plugin', 'hoisted_out'), {
    sf: { plugin: true },
  });
  await mkdir(join(app, 'src/services'), { recursive: true });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function discoveryError(dir: string): Promise<PluginError> {
  const error = await discoverPlugins(dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PluginError);
  return error as PluginError;
}

describe('package lookup', () => {
  it('finds the nearest package.json and installed packages like Node', async () => {
    const app = join(root, 'app');
    expect(await findNearestPackageJson(join(app, 'src/services'))).toBe(join(app, 'package.json'));
    expect(await findInstalledPackage('@acme/conn-http', app)).toBe(join(app, 'node_modules/@acme/conn-http'));
    expect(await findInstalledPackage('hoisted-plugin', app)).toBe(join(root, 'node_modules/hoisted-plugin'));
    expect(await findInstalledPackage('dev-tool-not-installed', app)).toBeUndefined();
  });
});

describe('discoverPlugins', () => {
  it('imports the packages that declare themselves plugins, whatever their names, and only those', async () => {
    const plugins = await discoverPlugins(join(root, 'app/src/services'));
    expect(plugins.map((p) => p.name)).toEqual(['@acme/conn-http', '@sf/conn-demo', 'hoisted-plugin']);
    expect(Object.keys(plugins[0]!.types)).toEqual(['http_out']);
  });

  it('takes only "sf": { "plugin": true } as the mark: "yes", 1 or "true" do not make a package a plugin', async () => {
    const dir = await project('loose-marks', { dependencies: { 'says-yes': '1.0.0', 'says-one': '1.0.0', 'says-true': '1.0.0' } });
    for (const [name, plugin] of [
      ['says-yes', 'yes'],
      ['says-one', 1],
      ['says-true', 'true'],
    ] as const) {
      // Importing it would throw: the test fails if discovery loads it.
      await esmPackage(join(dir, 'node_modules', name), name, `throw new Error('${name} must not be imported');`, { sf: { plugin } });
    }
    expect(await discoverPlugins(dir)).toEqual([]);
  });

  it('registers what it discovers', async () => {
    const registry = createRegistry();
    const plugins = await registerDiscovered(registry, join(root, 'app'));
    expect(registry.plugins()).toEqual(plugins);
    expect(registry.resolve('demo_out').plugin.name).toBe('@sf/conn-demo');
    const endpoint = await registry.resolve('http_out').definition.create({} as never);
    await expect(endpoint.open()).resolves.toBeUndefined();
  });

  it('tells to install a declared dependency or first-party plugin that is missing', async () => {
    const dir = await project('missing', {
      dependencies: { 'not-installed-lib': '1.0.0' },
      devDependencies: { '@sf/conn-zmq-reqrep': '0.1.0', 'dev-only': '1.0.0', '@sf/state-store': '0.1.0' },
    });
    const error = await discoveryError(dir);
    expect(error.code).toBe('SF_PLUGIN_MISSING');
    expect(error.message).toContain(
      `Packages declared in ${join(dir, 'package.json')} are not installed: @sf/conn-zmq-reqrep, not-installed-lib`,
    );
    expect(error.message).toContain(`Run \`pnpm install\` in ${dir}`);
    expect(error.message).not.toContain('dev-only');
    expect(error.message).not.toContain('@sf/state-store');
  });

  it('rejects a package marked as a plugin that exports none', async () => {
    const dir = await project('no-export', { dependencies: { 'empty-plugin': '1.0.0' } });
    await esmPackage(join(dir, 'node_modules/empty-plugin'), 'empty-plugin', 'export const version = 1;', { sf: { plugin: true } });
    const error = await discoveryError(dir);
    expect(error.code).toBe('SF_PLUGIN_INVALID');
    expect(error.message).toContain("Package 'empty-plugin' is marked as a plugin but exports no plugin");
  });

  it('checks the shape of a discovered plugin, naming its package', async () => {
    const dir = await project('bad-shape', { dependencies: { '@sf/state-bad': '1.0.0' } });
    await esmPackage(
      join(dir, 'node_modules/@sf/state-bad'),
      '@sf/state-bad',
      'export default { name: "@sf/state-bad", coreMajor: 0, types: { s: { side: "in" } } };',
      {
        sf: { plugin: true },
      },
    );
    const error = await discoveryError(dir);
    expect(error.code).toBe('SF_PLUGIN_INVALID');
    expect(error.message).toContain("Plugin '@sf/state-bad' type 's' has kind undefined");
  });

  it('wraps a plugin that throws while loading, keeping the cause', async () => {
    const dir = await project('throws', { dependencies: { '@sf/conn-broken': '1.0.0' } });
    await esmPackage(join(dir, 'node_modules/@sf/conn-broken'), '@sf/conn-broken', 'throw new Error("zeromq binary missing");', {
      sf: { plugin: true },
    });
    const error = await discoveryError(dir);
    expect(error.code).toBe('SF_PLUGIN_INVALID');
    expect(error.message).toContain("Plugin package '@sf/conn-broken' could not be loaded: zeromq binary missing");
    expect((error.cause as Error).message).toBe('zeromq binary missing');
  });

  it('reports a plugin package without an importable entry', async () => {
    const dir = await project('no-entry', { dependencies: { '@sf/conn-cjs-only': '1.0.0' } });
    await write(join(dir, 'node_modules/@sf/conn-cjs-only/package.json'), {
      name: '@sf/conn-cjs-only',
      exports: { '.': { require: './index.cjs' } },
      sf: { plugin: true },
    });
    const error = await discoveryError(dir);
    expect(error.code).toBe('SF_PLUGIN_INVALID');
    expect(error.message).toContain("Plugin package '@sf/conn-cjs-only' (installed at ");
    expect(error.message).toContain('has no entry point to import');
  });
});

describe('discoverPlugins for the types a service uses', () => {
  const imported = () => ((globalThis as { sfImported?: string[] }).sfImported ??= []);
  const recording = (name: string, type: string) =>
    `${pluginSource(name, type)}\n(globalThis.sfImported ??= []).push(${JSON.stringify(name)});`;

  it('leaves out a first-party plugin that provides none of them, and imports every candidate when a type is still missing', async () => {
    const dir = await project('lean', { dependencies: { '@sf/conn-zmq-pubsub': '1.0.0', '@acme/conn-lean': '1.0.0' } });
    await esmPackage(join(dir, 'node_modules/@sf/conn-zmq-pubsub'), '@sf/conn-zmq-pubsub', recording('@sf/conn-zmq-pubsub', 'publisher'), {
      sf: { plugin: true },
    });
    await esmPackage(join(dir, 'node_modules/@acme/conn-lean'), '@acme/conn-lean', recording('@acme/conn-lean', 'lean_out'), {
      sf: { plugin: true },
    });
    const names = async (types?: string[]) => (await discoverPlugins(dir, types && new Set(types))).map((plugin) => plugin.name);
    // Third-party plugins are always imported: their types are unknown until then.
    expect(await names(['lean_out'])).toEqual(['@acme/conn-lean']);
    expect(imported()).toEqual(['@acme/conn-lean']);
    expect(await names(['publisher', 'lean_out'])).toEqual(['@acme/conn-lean', '@sf/conn-zmq-pubsub']);
    // A type nobody provided yet: every candidate, so the error can list every installed type.
    expect(await names(['publsher'])).toEqual(['@acme/conn-lean', '@sf/conn-zmq-pubsub']);
    expect(await names()).toEqual(['@acme/conn-lean', '@sf/conn-zmq-pubsub']);
  });
});
