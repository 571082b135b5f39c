import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runSf } from '../src/run-sf.js';

describe('sf init --from-addresses', () => {
  const dir = mkdtemp(join(tmpdir(), 'sf-init-'));
  afterAll(async () => rm(await dir, { recursive: true, force: true }));
  const example = join(ROOT, 'examples/pipeline');

  it('writes a system file for the services, main mode detected, the seed addresses kept', async () => {
    const file = join(await dir, 'sub', 'sf.system.json');
    const result = await runSf(
      ['init', 'order-feed.ts', 'pricer.ts', 'risk-check.ts', '--from-addresses', 'addresses.json', '-o', file],
      example,
    );
    expect(result.stdout).toBe(`Wrote ${file} (3 services). Check it with: sf check ${file}\n`);
    const base = join(await dir, 'sub');
    const at = (name: string) => relative(base, join(example, name));
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      $schema: at('../../packages/system/sf.system.schema.json'),
      name: 'sub',
      services: {
        'order-feed': { service: at('order-feed.ts'), main: true },
        pricer: { service: at('pricer.ts') },
        'risk-check': { service: at('risk-check.ts') },
      },
      addresses: at('addresses.json'),
    });

    const check = await runSf(['check', file, '--json']);
    expect(check.code).toBe(0);
    const wires = JSON.parse(check.stdout).wires.map((wire: { from: string; addresses: string[] }) => [wire.from, wire.addresses]);
    expect(wires).toEqual([
      ['order-feed.orders', ['127.0.0.1:15201']],
      ['risk-check.notional', ['127.0.0.1:15202']],
    ]);
  });

  it('never overwrites a file without --force', async () => {
    const file = join(await dir, 'sub', 'sf.system.json');
    const result = await runSf(['init', 'pricer.ts', '-o', file], example);
    expect(result.stderr).toBe(`sf: ${file} already exists; pass --force to overwrite it\n`);
    expect(result.code).toBe(1);
  });
});
