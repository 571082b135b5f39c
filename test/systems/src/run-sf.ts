import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '@sf/cli';

/** The repository's root folder. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');

/** A broken fixture's system file. */
export const brokenFixture = (name: string) => join(ROOT, 'test/systems/fixtures/broken', `${name}.system.json`);

/** Runs `sf <argv>` in this process, from `cwd`; resolves to its exit code and output. */
export async function runSf(argv: string[], cwd: string = ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { stdout: (text) => out.push(text), stderr: (text) => err.push(text), cwd });
  return { code, stdout: out.join(''), stderr: err.join('') };
}
