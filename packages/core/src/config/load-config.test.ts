import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, ValidationError } from '../errors.js';
import { flattenConfig, loadConfig } from './load-config.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sf-config-'));
  await writeFile(join(dir, 'flat.json'), JSON.stringify({ symbol: 'BTC', size: 2, venue: 'x' }));
  // The seed README's example config.json.
  await writeFile(
    join(dir, 'seed.json'),
    JSON.stringify({
      required: { config_property_1: 12345, config_property_2: ['list_item_1'], config_property_3: { key_1: 'value_1' } },
      optional: { config_property_4: 'TestTestTest' },
    }),
  );
  await writeFile(join(dir, 'list.json'), '[1, 2]');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadConfig', () => {
  it('is empty without a file, extra pairs or setup_config', async () => {
    expect(await loadConfig({ cwd: dir })).toEqual({});
  });

  it('reads a flat file relative to cwd', async () => {
    expect(await loadConfig({ file: 'flat.json', cwd: dir })).toEqual({ symbol: 'BTC', size: 2, venue: 'x' });
  });

  it('flattens the seed shape into one level', async () => {
    expect(await loadConfig({ file: 'seed.json', cwd: dir })).toEqual({
      config_property_1: 12345,
      config_property_2: ['list_item_1'],
      config_property_3: { key_1: 'value_1' },
      config_property_4: 'TestTestTest',
    });
  });

  it('applies file, then extra pairs, then setup_config, each overwriting', async () => {
    const seen: unknown[] = [];
    const config = await loadConfig({
      file: 'flat.json',
      cwd: dir,
      extra: { size: '5', random_variable: 'HELLO' },
      setup_config: async (current) => {
        seen.push({ ...current });
        return { venue: 'y', extra_key: true };
      },
    });
    expect(seen).toEqual([{ symbol: 'BTC', size: '5', venue: 'x', random_variable: 'HELLO' }]);
    expect(config).toEqual({ symbol: 'BTC', size: '5', venue: 'y', random_variable: 'HELLO', extra_key: true });
  });

  it('accepts a seed-shaped setup_config result, or none', async () => {
    const seedShaped = await loadConfig({ extra: { a: '1' }, setup_config: () => ({ required: { b: 2 }, optional: { c: 3 } }) });
    expect(seedShaped).toEqual({ a: '1', b: 2, c: 3 });
    const mutated = await loadConfig({
      extra: { a: '1' },
      setup_config: (config) => {
        config.b = 'in place';
      },
    });
    expect(mutated).toEqual({ a: '1', b: 'in place' });
  });

  it('rejects a file that is not an object', async () => {
    const error = (await loadConfig({ file: 'list.json', cwd: dir }).catch((e: unknown) => e)) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.code).toBe('SF_CONFIG_INVALID');
    expect(error.message).toContain('The config file must give an object of config keys; received an array of 2');
    expect(error.location.file).toBe(join(dir, 'list.json'));
  });

  it('reports a missing config file', async () => {
    const error = (await loadConfig({ file: 'none.json', cwd: dir }).catch((e: unknown) => e)) as ConfigError;
    expect(error.code).toBe('SF_FILE_MISSING');
    expect(error.message).toContain('The config file does not exist');
  });

  it('wraps a throwing setup_config, and passes framework errors through', async () => {
    const thrown = (await loadConfig({
      service: './svc.ts',
      setup_config: () => {
        throw new Error('no secret');
      },
    }).catch((e: unknown) => e)) as ConfigError;
    expect(thrown.code).toBe('SF_CONFIG_INVALID');
    expect(thrown.message).toBe('setup_config threw: no secret (service ./svc.ts). Fix setup_config in the service file');
    expect((thrown.cause as Error).message).toBe('no secret');

    const own = new ValidationError('bad', { expected: 'a', received: 'b' });
    await expect(loadConfig({ setup_config: () => Promise.reject(own) })).rejects.toBe(own);
  });

  it('rejects a setup_config result that is not an object', async () => {
    const error = (await loadConfig({ setup_config: () => 'x' }).catch((e: unknown) => e)) as ConfigError;
    expect(error.message).toContain('setup_config must give an object of config keys; received the string "x"');
  });
});

describe('flattenConfig', () => {
  it('keeps flat objects (also with a required key next to others) as copies', () => {
    const flat = { required: { a: 1 }, other: 2 };
    const result = flattenConfig(flat, 'x');
    expect(result).toEqual(flat);
    expect(result).not.toBe(flat);
  });

  it('flattens a lone required or optional section', () => {
    expect(flattenConfig({ optional: { a: 1 } }, 'x')).toEqual({ a: 1 });
    expect(flattenConfig({ required: {} }, 'x')).toEqual({});
  });

  it('rejects a key given in both sections', () => {
    expect(() => flattenConfig({ required: { a: 1 }, optional: { a: 2 } }, 'The config file', { file: 'c.json' })).toThrow(
      "The config file gives 'a' in both its required and optional sections (file c.json). Keep 'a' in one section",
    );
  });
});
