import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelError, type SfError, ServiceStateError } from '../errors.js';
import { testPlugin } from '../registry/test-plugins.js';
import { type PrepareOptions, prepareService } from './prepare-service.js';

const reqrep = testPlugin('@test/reqrep', {
  replyer: {
    side: 'in',
    addresses: ['replyer'],
    handler: 'on_new_request',
    replies: true,
    creationArguments: { required: { on_new_request: Function } },
  },
  requester: { side: 'out', addresses: ['requester'], replies: true },
});

let dir: string;

const files: Record<string, string> = {
  'config.json': JSON.stringify({ a: 'file', b: 'file', c: 'file', size: 'not checked yet' }),
  'addresses.json': JSON.stringify({ connections: { in: { echo: { replyer: '127.0.0.1:1111' } } } }),
  'creation.json': JSON.stringify({ connections: { in: { echo: { on_new_request: 'from the file', extra_marker: 1 } } } }),
  'bad-creation.json': JSON.stringify({ connections: { sideways: {} } }),
  'stray-creation.json': JSON.stringify({ states: { in: { book: { curve: {} } } } }),
  'other-addresses.json': JSON.stringify({ connections: { out: { ask: { requester: '127.0.0.1:3333' } } } }),
  // Records what each setup function saw, so the order can be checked.
  'order.mjs': `
export const config_model = { required: { size: Number, from_setup: String } };
export const connection_models = { in: { echo: { connection_type: 'replyer' } } };
export function setup_config(config) {
  return { c: 'setup', from_setup: 'yes', seen_by_setup_config: { ...config } };
}
export function setup_addresses(addresses, config) {
  const fromFile = addresses.connections.in.echo?.replyer ?? 'none:0';
  return { connections: { in: { echo: { replyer: fromFile.replace(/:\\d+$/, ':' + config.port) } } } };
}
export function setup_connections(config) {
  return { echo: { on_new_request: function handle() { return { size: config.size }; } } };
}
`,
  'typed.ts': `
interface Config { greeting?: string }
const echo = (args: { text: string }): { text: string } => ({ text: args.text });
export default {
  connection_models: { in: { echo: { connection_type: 'replyer', required_creation_arguments: { on_new_request: echo }, required_arguments: { text: String } } } },
  setup_config: (config: Config): Config => ({ greeting: config.greeting ?? 'hello' }),
};
`,
  'main-with-in.mjs': `
export const connection_models = { in: { echo: { connection_type: 'replyer', required_creation_arguments: { on_new_request: () => ({}) } } } };
export async function main() {}
`,
  'no-main.mjs': `export const connection_models = { out: { ask: { connection_type: 'requester' } } };\n`,
  'leading-edge.mjs': `
export const connection_models = { out: { ask: { connection_type: 'requester' } } };
export async function main(to_send) { await to_send('connection', 'ask', {}); }
`,
  'throwing-setup.mjs': `
export const connection_models = { in: { echo: { connection_type: 'replyer' } } };
export function setup_connections() { throw new Error('no client available'); }
`,
  'bad-setup.mjs': `
export const connection_models = { in: { echo: { connection_type: 'replyer' } } };
export function setup_connections() { return [1]; }
`,
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sf-prepare-'));
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function prepare(options: Partial<PrepareOptions> & { service: string }) {
  return prepareService({ cwd: dir, plugins: [reqrep], discover: false, ...options });
}

async function fails(run: Promise<unknown>): Promise<SfError> {
  try {
    await run;
  } catch (error) {
    return error as SfError;
  }
  throw new Error('expected a rejection');
}

describe('prepareService: start-up order', () => {
  it('builds config from file, then extra pairs, then setup_config, and checks it last', async () => {
    const prepared = await prepare({
      service: 'order.mjs',
      config: 'config.json',
      addresses: 'addresses.json',
      extra: { b: 'extra', c: 'extra', size: '7', port: '2222' },
    });
    const { seen_by_setup_config: seen, ...config } = prepared.config;
    // setup_config saw the file with the extra pairs over it, before the check read size as a number.
    expect(seen).toEqual({ a: 'file', b: 'extra', c: 'extra', size: '7', port: '2222' });
    expect(config).toEqual({ a: 'file', b: 'extra', c: 'setup', size: 7, port: '2222', from_setup: 'yes' });
  });

  it('replaces the addresses with what setup_addresses returns, given the file addresses and the config', async () => {
    const prepared = await prepare({ service: 'order.mjs', addresses: 'addresses.json', extra: { size: '1', port: '2222' } });
    // The host comes from the file's 127.0.0.1:1111, the port from the config.
    expect(prepared.addresses.connections.in.echo).toEqual({ replyer: '127.0.0.1:2222' });
    expect(prepared.models[0]!.addresses).toEqual({ replyer: '127.0.0.1:2222' });
  });

  it('merges setup_connections into the model, called with the checked config', async () => {
    const prepared = await prepare({ service: 'order.mjs', addresses: 'addresses.json', extra: { size: '3', port: '1' } });
    const [echo] = prepared.models;
    expect(echo!.path).toBe('connection_models.in.echo');
    expect(typeof echo!.handler).toBe('function');
    expect(echo!.handler!()).toEqual({ size: 3 });
  });

  it('merges a creation-arguments file (--creation) under setup_connections, whose values win', async () => {
    const prepared = await prepare({
      service: 'order.mjs',
      addresses: 'addresses.json',
      creation: 'creation.json',
      extra: { size: '3', port: '1' },
      plugins: [
        testPlugin('@test/open', {
          replyer: {
            side: 'in',
            addresses: ['replyer'],
            handler: 'on_new_request',
            replies: true,
            creationArguments: { required: { on_new_request: Function }, optional: { extra_marker: Number } },
          },
        }),
      ],
    });
    expect(prepared.models[0]!.creation.extra_marker).toBe(1);
    expect(typeof prepared.models[0]!.creation.on_new_request).toBe('function');
    const error = await fails(
      prepare({ service: 'order.mjs', addresses: 'addresses.json', creation: 'bad-creation.json', extra: { size: '3', port: '1' } }),
    );
    expect(error.message).toMatch(/creation-arguments file at connections\.sideways is not in or out/);
    const stray = await fails(
      prepare({ service: 'order.mjs', addresses: 'addresses.json', creation: 'stray-creation.json', extra: { size: '3', port: '1' } }),
    );
    expect(stray.message).toMatch(/names state 'book', which the service does not declare/);
  });

  it('fails the config check before any model is resolved', async () => {
    const error = await fails(prepare({ service: 'order.mjs', addresses: 'addresses.json', extra: { size: 'big', port: '1' } }));
    expect(error.code).toBe('SF_VALIDATION_FAILED');
    expect(error.location.argument).toBe('config.size');
  });

  it('loads a TypeScript service and names it after its file', async () => {
    const prepared = await prepare({ service: 'typed.ts', addresses: 'addresses.json' });
    expect(prepared.file).toBe(join(dir, 'typed.ts'));
    expect(prepared.name).toBe('typed');
    expect(prepared.config).toEqual({ greeting: 'hello' });
    expect(prepared.models[0]!.args.check({ text: 'hi' })).toBeUndefined();
    expect(prepared.models[0]!.handler!({ text: 'hi' })).toEqual({ text: 'hi' });
  });

  it('reports a throwing setup_connections as a model error naming it', async () => {
    const error = await fails(prepare({ service: 'throwing-setup.mjs', addresses: 'addresses.json' }));
    expect(error).toBeInstanceOf(ModelError);
    expect(error.message).toContain('setup_connections threw: no client available');
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('rejects setup_connections returning something other than an object', async () => {
    const error = await fails(prepare({ service: 'bad-setup.mjs', addresses: 'addresses.json' }));
    expect(error).toBeInstanceOf(ModelError);
    expect(error.message).toContain('setup_connections must return { model_name: { argument: value } }; it returned an array of 1');
  });
});

describe('prepareService: modes', () => {
  it('refuses in models in main mode', async () => {
    const error = await fails(prepare({ service: 'main-with-in.mjs', addresses: 'addresses.json', mainMode: true }));
    expect(error).toBeInstanceOf(ServiceStateError);
    expect(error.code).toBe('SF_MAIN_MODE_INVALID');
    expect(error.message).toContain('connection_models.in.echo');
    expect(error.hint).toContain('without -m');
  });

  it('refuses main mode without main', async () => {
    const error = await fails(prepare({ service: 'no-main.mjs', addresses: 'other-addresses.json', mainMode: true }));
    expect(error.code).toBe('SF_MAIN_MODE_INVALID');
    expect(error.message).toContain('exports no main function');
  });

  it('refuses service mode with nothing to serve, pointing to -m when there is a main', async () => {
    const error = await fails(prepare({ service: 'leading-edge.mjs', addresses: 'other-addresses.json' }));
    expect(error.code).toBe('SF_MAIN_MODE_INVALID');
    expect(error.message).toContain('nothing to serve');
    expect(error.hint).toBe('Run it in main mode with -m');

    const noMain = await fails(prepare({ service: 'no-main.mjs', addresses: 'other-addresses.json' }));
    expect(noMain.hint).toBe('Declare connection_models.in or state_models.in');
  });

  it('accepts a leading-edge service in main mode', async () => {
    const prepared = await prepare({ service: 'leading-edge.mjs', addresses: 'other-addresses.json', mainMode: true });
    expect(prepared.models.map((model) => model.path)).toEqual(['connection_models.out.ask']);
    expect(typeof prepared.exports.main).toBe('function');
  });
});

describe('prepareService: plugins', () => {
  it('uses only the explicit plugins with discover: false', async () => {
    const prepared = await prepare({ service: 'typed.ts', addresses: 'addresses.json' });
    expect(prepared.registry.plugins()).toEqual([reqrep]);
    expect(prepared.models[0]!.pluginName).toBe('@test/reqrep');
  });

  it('fails on a type no explicit plugin provides', async () => {
    const error = await fails(prepare({ service: 'typed.ts', addresses: 'addresses.json', plugins: [] }));
    expect(error.code).toBe('SF_UNKNOWN_TYPE');
    expect(error.message).toContain("Unknown connection_type 'replyer'");
  });
});
