import type { Problem, SystemAnalysis } from '@sf/system';
import type { Command } from 'commander';
import { EXIT_FAILURE } from '../errors-to-exit.js';
import type { CliIo } from '../types.js';
import { runCommand, systemCommand } from './parse-command.js';
import { systemModule } from './system-module.js';

/** The `check` command: its options and help. */
export function createCheckCommand(): Command {
  return systemCommand('check')
    .description('Check a system before it runs: load every service (no sockets), then check that the two ends of every wire agree.')
    .summary('check the contracts between the services of a system: sf check [system]')
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      '\nOne line per problem, like a compiler: service: model path: error SF_CODE: what (fix: how). Exit 1 when there is any.\n',
    );
}

/** `sf check …`: prints one line per problem (or JSON) and resolves to 0, or 1 when a problem was found. */
export function check(argv: readonly string[], io: CliIo): Promise<number> {
  return runCommand(createCheckCommand(), argv, io, async (command) => {
    const { analyseSystem, errorsOf, formatProblem, loadSystem } = await systemModule();
    const analysis = await analyseSystem(await loadSystem(command.args[0], io.cwd));
    const { json } = command.opts<{ json?: boolean }>();
    const errors = errorsOf(analysis.problems).length;
    io.stdout(json ? `${JSON.stringify(report(analysis, errors), null, 2)}\n` : text(analysis, formatProblem, errors));
    return errors > 0 ? EXIT_FAILURE : 0;
  });
}

function text(analysis: SystemAnalysis, formatProblem: (problem: Problem) => string, errors: number): string {
  const lines = analysis.problems.map(formatProblem);
  const warnings = analysis.problems.length - errors;
  const entries = analysis.entries.length === 0 ? '' : `, ${plural(analysis.entries.length, 'entry point')}`;
  const found = `${errors === 0 ? 'no problems' : plural(errors, 'problem')}${warnings === 0 ? '' : `, ${plural(warnings, 'warning')}`}`;
  const counts = `${plural(analysis.services.length, 'service')}, ${plural(analysis.wires.length, 'wire')}${entries}`;
  const summary = `${analysis.system.name}: ${counts}, ${found}`;
  return `${[...lines, summary].join('\n')}\n`;
}

/** The JSON report: the services, the wires with their addresses, the entry points, and the problems. */
function report(analysis: SystemAnalysis, errors: number): object {
  const addressOf = (service: string, path: string) =>
    analysis.channels
      .filter((channel) => channel.sockets.some((socket) => socket.end.service === service && socket.end.path === path))
      .map((channel) => channel.address);
  return {
    system: analysis.system.name,
    file: analysis.system.file,
    ok: errors === 0,
    services: analysis.services.map((service) => ({ name: service.name, file: service.file, main: service.main, python: service.python })),
    wires: analysis.wires.map(({ from, to }) => ({
      from: `${from.service}.${from.name}`,
      to: `${to.service}.${to.name}`,
      kind: from.kind,
      types: [from.typeName, to.typeName],
      addresses: addressOf(from.service, from.path),
    })),
    processes: analysis.processes.map(({ name, service, replica, host, address }) => ({ name, service, replica, host, address })),
    entries: analysis.entries.map(({ end, addresses }) => ({ end: `${end.service}.${end.name}`, type: end.typeName, addresses })),
    problems: analysis.problems,
  };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
