import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceLoadError } from '../errors.js';
import { loadServiceModule, SERVICE_EXPORT_NAMES } from './load-service.js';

let dir: string;

const files: Record<string, string> = {
  'package.json': '{ "type": "module" }',
  'helper.ts': 'export const greeting: string = "hi";\n',
  'svc.ts': `
import { greeting } from './helper.ts';
interface Args { text: string }
export const main = async (_to_send: unknown, config: Record<string, unknown>): Promise<string> => greeting + String(config.name);
const connection_models = { in: { echo: { connection_type: 'replyer' as const, required_arguments: { text: String } } } };
export default { connection_models, main, setup_config: (c: Args) => c };
`,
  'named.mts': `export const state_models: { out: Record<string, unknown> } = { out: {} };
export function sigint_handler(): void {}
export const helperConstant = 3;
`,
  'plain.js': 'export const main = () => "js";\nexport const config_model = { required: { symbol: String } };\n',
  'default.mjs': 'export default { main() { return "mjs"; }, setup_states: () => ({}) };\n',
  'common.cjs': 'module.exports = { main() { return "cjs"; }, setup_connections: () => ({}) };\n',
  'bad-syntax.ts': 'export const main = (x: number => x;\n',
  'throws.mjs': 'throw new Error("boom at top level");\n',
  'missing-import.ts': "import thing from 'not-an-installed-package';\nexport const main = () => thing;\n",
  'nothing.mjs': 'export const helper = 1;\nexport default { something: 2 };\n',
  'empty.mjs': '',
  'typo.ts': 'export const conection_models = { in: {} };\nexport const main = () => 1;\n',
  'typo-default.mjs': 'export default { main() {}, setup_configs() {} };\n',
  'camel.mjs': 'export const connectionModels = {};\nexport const main = () => 1;\n',
  'conflict.mjs': 'export const main = () => 1;\nexport default { main: () => 2 };\n',
  'default-function.mjs': 'export default function main() {}\n',
  'wrong-kind.mjs': 'export const main = { not: "a function" };\n',
  'wrong-model.mjs': 'export const connection_models = [];\n',
  'service.txt': 'main',
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sf-service-'));
  await mkdir(join(dir, 'folder.ts'));
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function loadError(name: string): Promise<ServiceLoadError> {
  const error = await loadServiceModule(name, dir).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ServiceLoadError);
  expect((error as ServiceLoadError).code).toBe('SF_SERVICE_LOAD_FAILED');
  return error as ServiceLoadError;
}

describe('loadServiceModule', () => {
  it('loads TypeScript without a build step, merging default and named exports', async () => {
    const loaded = await loadServiceModule('svc.ts', dir);
    expect(loaded.file).toBe(join(dir, 'svc.ts'));
    expect(Object.keys(loaded.exports).sort()).toEqual(['connection_models', 'main', 'setup_config']);
    const main = loaded.exports.main as (t: unknown, c: Record<string, unknown>) => Promise<string>;
    expect(await main(undefined, { name: ' there' })).toBe('hi there');
    expect(loaded.exports.connection_models).toEqual({
      in: { echo: { connection_type: 'replyer', required_arguments: { text: String } } },
    });
  });

  it('loads .mts named exports and ignores exports that are not service names', async () => {
    const loaded = await loadServiceModule(join(dir, 'named.mts'));
    expect(Object.keys(loaded.exports).sort()).toEqual(['sigint_handler', 'state_models']);
  });

  it('loads .js, .mjs and .cjs through import()', async () => {
    const js = await loadServiceModule('plain.js', dir);
    expect((js.exports.main as () => string)()).toBe('js');
    expect(js.exports.config_model).toEqual({ required: { symbol: String } });
    const mjs = await loadServiceModule('default.mjs', dir);
    expect((mjs.exports.main as () => string)()).toBe('mjs');
    expect(typeof mjs.exports.setup_states).toBe('function');
    const cjs = await loadServiceModule('common.cjs', dir);
    expect((cjs.exports.main as () => string)()).toBe('cjs');
    expect(typeof cjs.exports.setup_connections).toBe('function');
  });

  it('reports a missing file, a directory and an unsupported extension', async () => {
    const missing = await loadError('nope.ts');
    expect(missing.message).toBe(
      `The service file does not exist ('nope.ts' resolved from ${dir}) (service ${join(dir, 'nope.ts')}). ` +
        `Pass the path of the service module with -s`,
    );
    expect((await loadError('folder.ts')).message).toContain('The service path is a directory, not a file');
    const txt = await loadError('service.txt');
    expect(txt.message).toContain("has extension '.txt', which cannot be loaded");
    expect(txt.hint).toBe('Use one of .ts, .mts, .js, .mjs, .cjs');
  });

  it('reports a syntax error with the file and keeps the cause', async () => {
    const error = await loadError('bad-syntax.ts');
    expect(error.message).toContain('The service file could not be loaded:');
    expect(error.message).toContain('bad-syntax.ts:1:');
    expect(error.location.service).toBe(join(dir, 'bad-syntax.ts'));
    expect(error.hint).toContain('Fix the syntax error');
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('reports a module that throws while loading, and a missing import', async () => {
    const threw = await loadError('throws.mjs');
    expect(threw.message).toContain('could not be loaded: boom at top level');
    expect((threw.cause as Error).message).toBe('boom at top level');
    const missing = await loadError('missing-import.ts');
    expect(missing.message).toContain("Cannot find module 'not-an-installed-package'");
    expect(missing.hint).toContain('Install the missing package');
  });

  it('lists the service names when a module exports none', async () => {
    const error = await loadError('nothing.mjs');
    expect(error.what).toBe('The service file exports none of the service names (it exports helper)');
    expect(error.hint).toBe(`Export default defineService({...}) or named exports: ${SERVICE_EXPORT_NAMES.join(', ')}`);
    expect((await loadError('empty.mjs')).what).toContain('(it exports nothing)');
  });

  it('rejects misspelt service names with a suggestion', async () => {
    expect((await loadError('typo.ts')).what).toBe(
      "The service file exports 'conection_models' (did you mean 'connection_models'?), which is not a service name",
    );
    expect((await loadError('typo-default.mjs')).what).toContain("'setup_configs' (did you mean 'setup_config'?)");
    expect((await loadError('camel.mjs')).what).toContain("'connectionModels' (did you mean 'connection_models'?)");
  });

  it('rejects one name given twice with different values', async () => {
    expect((await loadError('conflict.mjs')).what).toBe(
      "'main' is exported both in the default export and as a named export, with different values",
    );
  });

  it('rejects a default export that is not a service object, and exports of the wrong kind', async () => {
    expect((await loadError('default-function.mjs')).what).toBe("The service file's default export is a function, not a service object");
    expect((await loadError('wrong-kind.mjs')).what).toBe("The service's 'main' is an object; expected a function");
    expect((await loadError('wrong-model.mjs')).what).toBe("The service's 'connection_models' is an array of 0; expected an object");
  });
});
