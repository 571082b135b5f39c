import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLoopbackHost } from '@sf/core';
import type { Command } from 'commander';
import { EXIT_FAILURE } from '../errors-to-exit.js';
import { parseListenFlag } from '../run-options.js';
import type { CliIo } from '../types.js';
import { SF_BIN } from '../sf-bin.js';
import { UsageError } from '../usage-error.js';
import { runCommand, systemCommand } from './parse-command.js';
import { systemModule } from './system-module.js';

/** The `up` command: its options and help. */
export function createUpCommand(): Command {
  return systemCommand('up')
    .description(
      "Run a system: check it (as sf check), write each service's addresses, start every service as its own sf run process " +
        '(each once the state writers and repliers it needs are ready, independent ones together, main-mode services last), ' +
        'restart crashed ones with back-off, and stop them all on SIGINT/SIGTERM.',
    )
    .summary('run every service of a system: sf up [system] [--host NAME] [--once] [--ui host:port]')
    .option(
      '--host <name>',
      'start only the processes placed on this host of the system\'s "hosts" (required when a host is not a loopback address)',
    )
    .option('--once', 'stop the system once every main-mode service has finished')
    .option('--ui <host:port>', 'serve a live page (graph with msg/s per wire, services) here; every service then serves metrics')
    .addHelpText(
      'after',
      '\nEach line is prefixed with its service\'s name. The restart policy is the system file\'s "restart".\n' +
        'On a terminal, a live status view (service, pid, state, time up, restarts, last error) ' +
        'stays below the log lines, redrawn every second; the table is also printed at the end.\n' +
        'Across hosts: run `sf up --host NAME` with the same system file on each host; ' +
        'each derives the same addresses and starts its share.\n',
    );
}

/**
 * `sf up …`: runs the system until a signal (or, with `--once`, its main-mode services finish);
 * resolves to 0, or 1 when the check fails.
 */
export function up(argv: readonly string[], io: CliIo): Promise<number> {
  return runCommand(createUpCommand(), argv, io, (command) => upSystem(command, io));
}

async function upSystem(command: Command, io: CliIo): Promise<number> {
  const { once, ui, host } = command.opts<{ once?: boolean; ui?: string; host?: string }>();
  const uiAddress = ui === undefined ? undefined : parseListenFlag('--ui', ui);
  const { analyseSystem, errorsOf, formatProblem, hostNames, loadSystem, runSystem } = await systemModule();
  const system = await loadSystem(command.args[0], io.cwd);
  const hosts = hostNames(system.spec);
  if (host !== undefined && !hosts.includes(host))
    throw new UsageError(
      hosts.length === 0
        ? `--host ${host}: the system declares no "hosts"; run sf up without --host`
        : `--host ${host}: no such host in the system; its hosts are ${hosts.join(', ')}`,
      'sf up --help',
    );
  const remote = hosts.filter((name) => !isLoopbackHost(system.spec.hosts![name]!.address));
  if (host === undefined && remote.length > 0)
    throw new UsageError(
      `the system runs on several hosts (${hosts.join(', ')}): say which one this is with --host NAME ` +
        `(sf up starts every host's services only when every host address is a loopback one)`,
      'sf up --help',
    );
  const runDir = await mkdtemp(join(tmpdir(), `sf-up-${system.name.replace(/\W/g, '-')}-`));
  try {
    const analysis = await analyseSystem(system, runDir);
    const errors = errorsOf(analysis.problems);
    if (errors.length > 0) {
      io.stderr(
        `${errors.map(formatProblem).join('\n')}\nsf up: ${errors.length} problem(s) found; fix them first (sf check shows the same)\n`,
      );
      return EXIT_FAILURE;
    }
    for (const warning of analysis.problems) io.stderr(`${formatProblem(warning)}\n`);
    return await runSystem(analysis, {
      sf: [process.execPath, SF_BIN],
      output: (line) => io.stdout(`${line}\n`),
      color: process.stdout.isTTY === true,
      once: once === true,
      ...(host !== undefined && { host }),
      ...(uiAddress !== undefined && { ui: uiAddress }),
      ...(process.stdout.isTTY && {
        live: { write: (text: string) => process.stdout.write(text), columns: () => process.stdout.columns || 80 },
      }),
    });
  } finally {
    await rm(runDir, { recursive: true, force: true });
  }
}
