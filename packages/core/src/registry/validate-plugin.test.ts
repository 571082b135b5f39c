import { describe, expect, it } from 'vitest';
import { PluginError } from '../errors.js';
import type { Plugin, TypeDefinition } from '../plugin/contract.js';
import { definePlugin } from './define-plugin.js';
import { testPlugin, testType } from './test-plugins.js';

function problem(plugin: unknown): string {
  try {
    definePlugin(plugin as Plugin);
  } catch (error) {
    expect(error).toBeInstanceOf(PluginError);
    expect((error as PluginError).code).toBe('SF_PLUGIN_INVALID');
    return (error as PluginError).what;
  }
  throw new Error('expected definePlugin to throw');
}

const withType = (over: Record<string, unknown>) =>
  ({ name: '@acme/x', coreMajor: 0, types: { t: { ...testType(), ...over } as TypeDefinition } }) as Plugin;

describe('definePlugin', () => {
  it('returns a valid plugin unchanged', () => {
    const plugin = testPlugin('@acme/ok', { ok: { side: 'in', handler: 'on_new_message', aliases: ['okay'] } });
    expect(definePlugin(plugin)).toBe(plugin);
  });

  it('rejects plugins with a bad name, coreMajor or types', () => {
    expect(problem(undefined)).toBe('A plugin is undefined, not a plugin object');
    expect(problem({ coreMajor: 0, types: {} })).toContain('has name undefined');
    expect(problem({ name: '@acme/x', coreMajor: '0', types: { t: testType() } })).toContain(
      'Plugin \'@acme/x\' has coreMajor the string "0"',
    );
    expect(problem({ name: '@acme/x', coreMajor: 0, types: {} })).toContain(
      'has types an object; expected an object with at least one type',
    );
  });

  it('names the type and field that are wrong', () => {
    expect(problem(withType({ kind: 'stream' }))).toContain("type 't' has kind the string \"stream\"; expected 'connection' or 'state'");
    expect(problem(withType({ create: undefined }))).toContain("type 't' has create undefined; expected a function");
    expect(problem(withType({ replies: 'yes' }))).toContain("type 't' has replies");
    expect(problem(withType({ peers: 'replyer' }))).toContain("type 't' has peers the string");
    expect(problem(withType({ addresses: ['a', 'a'] }))).toContain('lists a name twice in addresses');
    expect(problem(withType({ creationArguments: { needed: {} } }))).toContain("unknown key 'needed' in creationArguments");
    expect(problem(withType({ typeArguments: { required: [] } }))).toContain('typeArguments.required an array of 0');
  });

  it('rejects a handler on an out type', () => {
    expect(problem(withType({ side: 'out', handler: 'on_new_request' }))).toContain(
      "type 't' is an 'out' type but declares handler 'on_new_request'",
    );
  });

  it('suggests the field an unknown field was meant to be', () => {
    expect(problem(withType({ handlers: 'x' }))).toContain("unknown field 'handlers' (did you mean 'handler'?)");
  });

  it('rejects bad type names and a name claimed twice inside one plugin', () => {
    expect(problem({ name: '@acme/x', coreMajor: 0, types: { 'has space': testType() } })).toContain("type named 'has space'");
    const twice = { name: '@acme/x', coreMajor: 0, types: { a: testType(), b: testType({ aliases: ['a'] }) } };
    expect(problem(twice)).toContain("claims the name 'a' twice (types 'a' and 'b')");
  });
});
