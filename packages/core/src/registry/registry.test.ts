import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DuplicateTypeError, PluginError, UnknownTypeError } from '../errors.js';
import { CORE_MAJOR, CORE_VERSION } from './core-version.js';
import { createRegistry } from './registry.js';
import { testPlugin } from './test-plugins.js';

const reqrep = testPlugin('@sf/conn-zmq-reqrep', {
  replyer: { side: 'in', handler: 'on_new_request', replies: true },
  requester: { side: 'out', replies: true },
});
const pubsub = testPlugin('@sf/conn-zmq-pubsub', {
  subscriber: { side: 'in', handler: 'on_new_message' },
  publisher: { side: 'out' },
});
const external = testPlugin('@sf/conn-external', { external_target: { aliases: ['external_request'] } });
const deltaState = testPlugin('@sf/state-delta', { delta_update_in: { side: 'in', kind: 'state' } });

function caught(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('core version', () => {
  it('is the version in package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(CORE_VERSION).toBe(pkg.version);
    expect(CORE_MAJOR).toBe(Number(pkg.version.split('.')[0]));
  });
});

describe('registry', () => {
  it('resolves registered types to their plugin and definition', () => {
    const registry = createRegistry();
    registry.register(reqrep);
    registry.register(pubsub);
    const found = registry.resolve('replyer');
    expect(found.plugin).toBe(reqrep);
    expect(found.name).toBe('replyer');
    expect(found.definition).toBe(reqrep.types.replyer);
    expect(registry.has('publisher')).toBe(true);
    expect(registry.has('nope')).toBe(false);
    expect(registry.plugins()).toEqual([reqrep, pubsub]);
    expect(registry.types().map((t) => t.name)).toEqual(['publisher', 'replyer', 'requester', 'subscriber']);
  });

  it('resolves an alias to the same definition under the canonical name', () => {
    const registry = createRegistry();
    registry.register(external);
    const byAlias = registry.resolve('external_request');
    expect(byAlias.name).toBe('external_target');
    expect(byAlias.definition).toBe(registry.resolve('external_target').definition);
    expect(registry.has('external_request')).toBe(true);
    expect(registry.types()).toHaveLength(1);
  });

  it('ignores the same plugin registered twice', () => {
    const registry = createRegistry();
    registry.register(reqrep);
    registry.register(reqrep);
    expect(registry.plugins()).toEqual([reqrep]);
  });

  it('keeps one of two copies of the same package with the same types', () => {
    const registry = createRegistry();
    const copy = testPlugin('@sf/conn-zmq-reqrep', { replyer: { side: 'in' }, requester: {} });
    registry.register(reqrep);
    registry.register(copy);
    expect(registry.plugins()).toEqual([reqrep]);
    expect(registry.resolve('replyer').plugin).toBe(reqrep);
  });

  it('rejects two plugins claiming one type name, naming both', () => {
    const registry = createRegistry();
    registry.register(pubsub);
    const rival = testPlugin('@acme/conn-fast', { fast: {}, publisher: {} });
    const error = caught(() => registry.register(rival));
    expect(error).toBeInstanceOf(DuplicateTypeError);
    expect((error as DuplicateTypeError).code).toBe('SF_DUPLICATE_TYPE');
    expect(error.message).toContain("Type 'publisher' is provided by two plugins: '@sf/conn-zmq-pubsub' and '@acme/conn-fast'");
    expect(registry.has('fast')).toBe(false);
    expect(registry.plugins()).toEqual([pubsub]);
  });

  it('rejects an alias that another plugin already claims', () => {
    const registry = createRegistry();
    registry.register(external);
    const error = caught(() => registry.register(testPlugin('@acme/ext', { external_request: {} })));
    expect(error).toBeInstanceOf(DuplicateTypeError);
    expect(error.message).toContain("'@sf/conn-external' and '@acme/ext'");
  });

  it('rejects a plugin built for another core major, saying what to install', () => {
    const registry = createRegistry();
    const newer = testPlugin('@acme/conn-next', { next: {} }, CORE_MAJOR + 1);
    const error = caught(() => registry.register(newer)) as PluginError;
    expect(error).toBeInstanceOf(PluginError);
    expect(error.code).toBe('SF_PLUGIN_INCOMPATIBLE');
    expect(error.message).toContain(`was built for @sf/core ${CORE_MAJOR + 1}.x, but the running @sf/core is ${CORE_VERSION}`);
    expect(error.hint).toContain(`pnpm add @sf/core@${CORE_MAJOR + 1}`);
    expect(registry.plugins()).toEqual([]);
  });

  it('rejects a malformed plugin at registration', () => {
    const registry = createRegistry();
    const bad = testPlugin('@acme/bad', { thing: { side: 'sideways' as 'in' } });
    const error = caught(() => registry.register(bad)) as PluginError;
    expect(error.code).toBe('SF_PLUGIN_INVALID');
    expect(error.message).toContain("Plugin '@acme/bad' type 'thing' has side the string \"sideways\"; expected 'in' or 'out'");
  });
});

describe('unknown types', () => {
  const where = { service: './svc.ts', model: 'connection_models.in.echo', kind: 'connection' as const };

  it('lists known types and names the first-party package to install', () => {
    const registry = createRegistry();
    registry.register(pubsub);
    const error = caught(() => registry.resolve('replyer', where)) as UnknownTypeError;
    expect(error).toBeInstanceOf(UnknownTypeError);
    expect(error.code).toBe('SF_UNKNOWN_TYPE');
    expect(error.known).toEqual(['publisher', 'subscriber']);
    expect(error.message).toBe(
      "Unknown connection_type 'replyer' (service ./svc.ts, model connection_models.in.echo). " +
        "Known connection types: publisher, subscriber. 'replyer' is provided by @sf/conn-zmq-reqrep: " +
        "run `pnpm add @sf/conn-zmq-reqrep` in the service's project.",
    );
  });

  it('names the package of a first-party type that is not installed even when a registered name is near', () => {
    const registry = createRegistry();
    registry.register(
      testPlugin('@sf/state-delta', { delta_update_in: { side: 'in', kind: 'state' }, delta_update_out: { kind: 'state' } }),
    );
    const error = caught(() => registry.resolve('full_update_in', { kind: 'state' }));
    expect(error.message).toContain('Known state types: delta_update_in, delta_update_out');
    expect(error.message).toContain("'full_update_in' is provided by @sf/state-full: run `pnpm add @sf/state-full`");
    expect(error.message).not.toContain('Did you mean');
    expect(caught(() => registry.resolve('delta_update_inn', { kind: 'state' })).message).toContain("Did you mean 'delta_update_in'?");
  });

  it('suggests a registered near name', () => {
    const registry = createRegistry();
    registry.register(reqrep);
    const error = caught(() => registry.resolve('replier', where));
    expect(error.message).toContain("Did you mean 'replyer'?");
    expect(error.message).not.toContain('pnpm add');
  });

  it('suggests a first-party near name that is not installed, with its package', () => {
    const error = caught(() => createRegistry().resolve('subscribr', where));
    expect(error.message).toContain('No connection types are registered');
    expect(error.message).toContain("Did you mean 'subscriber'? 'subscriber' is provided by @sf/conn-zmq-pubsub");
  });

  it('covers every first-party type', () => {
    const packages: Record<string, string> = {
      requester: '@sf/conn-zmq-reqrep',
      publisher: '@sf/conn-zmq-pubsub',
      delta_update_out: '@sf/state-delta',
      full_update_in: '@sf/state-full',
      external_request: '@sf/conn-external',
    };
    for (const [type, pkg] of Object.entries(packages)) {
      expect(caught(() => createRegistry().resolve(type)).message).toContain(`pnpm add ${pkg}`);
    }
  });

  it('says how to add a third-party type', () => {
    const error = caught(() => createRegistry().resolve('http_server'));
    expect(error.message).toContain("Unknown type 'http_server'");
    expect(error.message).toContain("Install the package that provides 'http_server'");
  });

  it('only lists and accepts types of the asked kind', () => {
    const registry = createRegistry();
    registry.register(reqrep);
    registry.register(deltaState);
    const error = caught(() => registry.resolve('replyer', { kind: 'state', model: 'state_models.in.book' })) as UnknownTypeError;
    expect(error.known).toEqual(['delta_update_in']);
    expect(error.message).toContain("Unknown state_type 'replyer'");
    expect(error.message).toContain("'replyer' is a connection type: declare it under connection_models");
    expect(registry.resolve('delta_update_in', { kind: 'state' }).plugin).toBe(deltaState);
  });
});
