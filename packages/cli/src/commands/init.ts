import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Command } from 'commander';
import { EXIT_FAILURE } from '../errors-to-exit.js';
import type { CliIo } from '../types.js';
import { runCommand } from './parse-command.js';
import { systemModule } from './system-module.js';

/** The `init` command: its options and help. */
export function createInitCommand(): Command {
  return new Command('init')
    .description(
      'Write a system file (sf.system.json) for existing services, keeping the addresses of a seed-style addresses file when given.',
    )
    .summary('write sf.system.json for services: sf init SERVICE... [--from-addresses FILE]')
    .argument('<services...>', 'the service files')
    .option('--from-addresses <file>', 'a seed addresses file whose addresses the system keeps')
    .option('-o, --out <file>', 'where to write the system file (default: sf.system.json)')
    .option('--force', 'overwrite an existing file')
    .helpOption('-h, --help', 'show this help')
    .addHelpText(
      'after',
      '\nA service runs in main mode (-m) when it exports main and has no in models.\nExample:\n  sf init order-feed.ts pricer.ts risk-check.ts --from-addresses addresses.json\n',
    );
}

/** `sf init …`: writes the system file; resolves to 0, or 1 when it exists (without --force). */
export function init(argv: readonly string[], io: CliIo): Promise<number> {
  return runCommand(createInitCommand(), argv, io, (command) => writeSystem(command, io));
}

async function writeSystem(command: Command, io: CliIo): Promise<number> {
  const { initSystem, SYSTEM_FILE_NAME } = await systemModule();
  const { fromAddresses, out = SYSTEM_FILE_NAME, force } = command.opts<{ fromAddresses?: string; out?: string; force?: boolean }>();
  const file = resolve(io.cwd, out);
  const system = await initSystem({
    file,
    services: command.args,
    ...(fromAddresses !== undefined && { addresses: fromAddresses }),
    cwd: io.cwd,
  });
  await mkdir(dirname(file), { recursive: true });
  try {
    await writeFile(file, `${JSON.stringify(system, null, 2)}\n`, { flag: force ? 'w' : 'wx' });
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
    io.stderr(`sf: ${file} already exists; pass --force to overwrite it\n`);
    return EXIT_FAILURE;
  }
  io.stdout(`Wrote ${file} (${Object.keys(system.services).length} services). Check it with: sf check ${out}\n`);
  return 0;
}
