import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { prepareService } from '@sf/core';
import { describe, expect, it } from 'vitest';

// The example project: it declares sf-conn-ndjson-tcp in its package.json and never imports it.
// Discovery imports this package's built dist, so `test` depends on `build` (see package.json).
const SERVICE_DIR = fileURLToPath(new URL('../../service/', import.meta.url));

describe('discovery from the example service project', () => {
  it.each([
    ['receiver.ts', 'connection_models.in.prices', 'ndjson_in'],
    ['sender.ts', 'connection_models.out.prices', 'ndjson_out'],
  ])('resolves %s to a type of sf-conn-ndjson-tcp without an import', async (service, path, typeName) => {
    const source = await readFile(`${SERVICE_DIR}${service}`, 'utf8');
    expect(source).not.toContain('sf-conn-ndjson-tcp');

    const prepared = await prepareService({ service, addresses: 'addresses.json', cwd: SERVICE_DIR, mainMode: service === 'sender.ts' });
    const model = prepared.models.find((candidate) => candidate.path === path);
    expect(model).toMatchObject({ typeName, pluginName: 'sf-conn-ndjson-tcp', addresses: { listener: '127.0.0.1:15301' } });
    expect(prepared.registry.plugins().map((plugin) => plugin.name)).toContain('sf-conn-ndjson-tcp');
  });
});
