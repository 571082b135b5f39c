import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Channel } from '../addresses/derive-addresses.js';
import type { Problem } from '../check/problem.js';
import type { End, InspectedService } from '../services/service-ends.js';
import type { Placement } from '../system-file/placement.js';
import type { LoadedSystem } from '../system-file/system-types.js';
import { planCurve } from './curve-plan.js';

/** The CurveZMQ files of a system's run: each service's creation-arguments file, and the problems. */
export interface CurveFiles {
  /** Service name → its creation-arguments file (`sf run --creation`), for the services with an encrypted wire. */
  readonly creationFiles: ReadonlyMap<string, string>;
  /** Warnings for wires that cross hosts in the clear, errors for missing key files. */
  readonly problems: readonly Problem[];
}

/**
 * Plans CurveZMQ for the wires that cross hosts (`planCurve`) and writes what `sf run` reads to
 * `dir`: a creation-arguments file per service with an encrypted wire, and each binding end's
 * allowed-clients file (its peers' `.pub` files, concatenated). A public key file the plan needs
 * and `sf keys` has not written is an `SF_WIRE_KEYS` problem; secret keys are checked by each
 * `sf run` at start (a host holds only its own services' secret keys).
 */
export async function writeCurveFiles(
  system: LoadedSystem,
  services: readonly InspectedService[],
  placements: readonly Placement[],
  channels: readonly Channel[],
  dir: string,
  entries: ReadonlySet<End> = new Set(),
): Promise<CurveFiles> {
  const hostsOf = (service: string) => [
    ...new Set(placements.filter((placement) => placement.service === service).map((placement) => placement.host ?? placement.address)),
  ];
  const python = (service: string) => services.find((inspected) => inspected.name === service)?.python === true;
  const plan = planCurve(system, channels, hostsOf, python, dir, entries);
  const problems: Problem[] = [...plan.problems];
  const missing = plan.publicKeyFiles.filter((file) => !existsSync(file));
  if (missing.length > 0) {
    problems.push({
      code: 'SF_WIRE_KEYS',
      service: [...plan.byService.keys()][0] ?? system.name,
      message: `wires that cross hosts are encrypted, but ${missing.length} public key file(s) are missing: ${missing.join(', ')}`,
      fix: `run 'sf keys' (it writes a key pair per service), then copy the keys folder to every host`,
    });
    return { creationFiles: new Map(), problems };
  }
  for (const [file, publicFiles] of plan.allowedFiles) {
    const texts = await Promise.all(publicFiles.map((publicFile) => readFile(publicFile, 'utf8')));
    await writeFile(file, texts.join('\n'));
  }
  const creationFiles = new Map<string, string>();
  for (const [service, creation] of plan.byService) {
    const file = join(dir, `${service}.creation.json`);
    await writeFile(file, `${JSON.stringify(creation, null, 2)}\n`);
    creationFiles.set(service, file);
  }
  return { creationFiles, problems };
}
