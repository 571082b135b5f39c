import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Command } from 'commander';
import { EXIT_FAILURE } from '../errors-to-exit.js';
import type { CliIo } from '../types.js';
import { UsageError } from '../usage-error.js';
import { runCommand } from './parse-command.js';
import { systemModule } from './system-module.js';

/** The `init` command: its options and help. */
export function createInitCommand(): Command {
  return new Command('init')
    .description(
      'Write a system file (sf.system.json) for existing services, keeping the addresses of a seed-style addresses file when given.',
    )
    .summary('write sf.system.json for services: sf init SERVICE... [--from-addresses FILE] [--hosts a=ADDR,b=ADDR]')
    .argument('<services...>', 'the service files')
    .option('--from-addresses <file>', 'a seed addresses file whose addresses the system keeps')
    .option('--hosts <name=address,...>', 'a system across these hosts: services placed on them in turn, ports numbered from 7000')
    .option('-o, --out <file>', 'where to write the system file (default: sf.system.json)')
    .option('--force', 'overwrite an existing file')
    .helpOption('-h, --help', 'show this help')
    .addHelpText(
      'after',
      '\nA service runs in main mode (-m) when it exports main and has no in models.\nExamples:\n' +
        '  sf init order-feed.ts pricer.ts risk-check.ts --from-addresses addresses.json\n' +
        '  sf init order-feed.ts pricer.ts risk-check.ts --hosts a=10.0.0.1,b=10.0.0.2   # then sf up --host a on 10.0.0.1, …\n',
    );
}

/** `sf init …`: writes the system file; resolves to 0, or 1 when it exists (without --force). */
export function init(argv: readonly string[], io: CliIo): Promise<number> {
  return runCommand(createInitCommand(), argv, io, (command) => writeSystem(command, io));
}

async function writeSystem(command: Command, io: CliIo): Promise<number> {
  const { initSystem, SYSTEM_FILE_NAME } = await systemModule();
  const options = command.opts<{ fromAddresses?: string; out?: string; force?: boolean; hosts?: string }>();
  const { fromAddresses, out = SYSTEM_FILE_NAME, force } = options;
  const file = resolve(io.cwd, out);
  const hosts = options.hosts === undefined ? undefined : parseHosts(options.hosts);
  const system = await initSystem({
    file,
    services: command.args,
    ...(fromAddresses !== undefined && { addresses: fromAddresses }),
    ...(hosts !== undefined && { hosts }),
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
  const across =
    hosts === undefined
      ? ''
      : ` across ${Object.keys(hosts).length} hosts; write their keys with sf keys, then start each with sf up --host NAME`;
  io.stdout(`Wrote ${file} (${Object.keys(system.services).length} services${across}). Check it with: sf check ${out}\n`);
  return 0;
}

/** `a=10.0.0.1,b=10.0.0.2` → `{ a: '10.0.0.1', b: '10.0.0.2' }`. */
function parseHosts(text: string): Record<string, string> {
  const hosts: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const match = /^([A-Za-z][\w-]*)=(\S+)$/.exec(pair.trim());
    if (match === null || Object.hasOwn(hosts, match[1]!))
      throw new UsageError(
        `--hosts: '${pair}' is not name=address${match === null ? '' : ' (that name is given twice)'}; ` +
          `write e.g. --hosts a=10.0.0.1,b=10.0.0.2`,
        'sf init --help',
      );
    hosts[match[1]!] = match[2]!;
  }
  return hosts;
}
