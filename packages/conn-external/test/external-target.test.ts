import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startService } from '@sf/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import externalPlugin from '../src/index.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sf-external-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes a main-mode service whose main calls the external target and records what happened. */
async function service(body: string): Promise<string> {
  const file = join(dir, 'service.mjs');
  await writeFile(
    file,
    `export const calls = [];
export const results = [];
export const connection_models = {
  out: {
    lookup: {
      connection_type: 'external_request',
      required_creation_arguments: { target: async (args) => { calls.push(args); ${body} } },
      required_arguments: { symbol: String },
      required_return_arguments: { price: Number },
    },
  },
};
export async function main(to_send) {
  try { results.push(await to_send('connection', 'lookup', { symbol: 'BTC' })); } catch (error) { results.push(error); }
  try { results.push(await to_send('connection', 'lookup', { symbol: 42 })); } catch (error) { results.push(error); }
}
`,
  );
  return file;
}

async function run(file: string) {
  const running = await startService({
    service: file,
    mainMode: true,
    plugins: [externalPlugin],
    discover: false,
    handleSignals: false,
    logging: { consoleLevel: 'fatal' },
  });
  expect(await running.done).toBe(0);
  return (await import(file)) as { calls: unknown[]; results: unknown[] };
}

describe('external_target', () => {
  it('calls the target with validated args and resolves to its validated result', async () => {
    const { calls, results } = await run(await service('return { price: 101.5 };'));
    expect(calls).toEqual([{ symbol: 'BTC' }]);
    expect(results[0]).toEqual({ price: 101.5 });
    expect(results[1]).toMatchObject({ code: 'SF_VALIDATION_FAILED' });
    expect((results[1] as Error).message).toContain('args.symbol');
  });

  it('rejects a result that breaks the return model', async () => {
    const { results } = await run(await service("return { price: 'high' };"));
    expect(results[0]).toMatchObject({ code: 'SF_VALIDATION_FAILED' });
    expect((results[0] as Error).message).toContain('return_args.price');
  });

  it('passes the target error on to the caller', async () => {
    const { results } = await run(await service("throw new Error('exchange down');"));
    expect((results[0] as Error).message).toBe('exchange down');
  });
});
