import { readFileSync } from 'node:fs';
import { type ListenAddress, type RunningService, type ServiceMetrics, type ServiceTracer, startService } from '@sf/core';
import { redactUrlCredentials } from '@sf/core/plugin';
import { Command, CommanderError } from 'commander';
import { check, createCheckCommand } from './commands/check.js';
import { createGraphCommand, graph } from './commands/graph.js';
import { createInitCommand, init } from './commands/init.js';
import { createKeygenCommand, keygen } from './commands/keygen.js';
import { createKeysCommand, keys } from './commands/keys.js';
import { createRunCommand, parseRunArgs } from './commands/run.js';
import { createUpCommand, up } from './commands/up.js';
import { EXIT_USAGE, reportError } from './errors-to-exit.js';
import type { TracingFlags } from './run-options.js';
import type { CliCommand, CliIo } from './types.js';
import { UsageError } from './usage-error.js';

/** The version of `@sf/cli` (`sf --version`). Both `src/` and the bundle in `dist/` sit next to package.json. */
export const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

/**
 * Runs the `sf` command with `argv` (the arguments after `sf`) and resolves to the exit code:
 * `sf run …` starts the service and resolves when it stops; `--help`/`--version` print and
 * resolve to 0; any error is printed as one `sf: …` line (see `reportError`).
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  try {
    if (argv[0] === 'run') return await run(argv.slice(1), io);
    if (argv[0] === 'keygen') return await keygen(argv.slice(1), io);
    const command = argv[0] === undefined ? undefined : SYSTEM_COMMANDS[argv[0]];
    if (command) return await command(argv.slice(1), io);
    return runRoot(argv, io);
  } catch (error) {
    const report = reportError(error, argv.includes('--debug'));
    io.stderr(report.text);
    return report.exitCode;
  }
}

/** The commands that work on a whole system (`sf.system.json`), by name. */
const SYSTEM_COMMANDS: Readonly<Record<string, CliCommand>> = { check, graph, init, keys, up };

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseRunArgs(argv, io.cwd);
  if (parsed.help) {
    io.stdout(parsed.text);
    return 0;
  }
  const { metrics, tracing } = parsed;
  const service = await startService({
    ...parsed.options,
    ...(metrics !== undefined && { serveMetrics: (source, logger) => serveServiceMetrics(source, logger, metrics) }),
    ...(tracing !== undefined && { createTracer: (name, logger) => createTracer(name, logger, tracing) }),
  });
  if (process.env[STOP_WITH_STDIN] === '1') stopWhenStdinCloses(() => service.stop('SIGTERM'));
  return await service.done;
}

/** `--metrics`: loads `@sf/metrics` (and prom-client) only now, serves until the process ends, and logs where. */
async function serveServiceMetrics(source: ServiceMetrics, logger: RunningService['logger'], listen: ListenAddress): Promise<void> {
  const { serveMetrics } = await import('@sf/metrics');
  const server = await serveMetrics(source, listen);
  logger.info({ metrics: `${server.url}/metrics` }, `metrics at ${server.url}/metrics, /healthz, /readyz`);
}

/** `--otlp`: loads `@sf/tracing` (and the OpenTelemetry SDK) only now; spans are exported in the background. */
async function createTracer(service: string, logger: RunningService['logger'], tracing: TracingFlags): Promise<ServiceTracer> {
  const { createOtlpTracer } = await import('@sf/tracing');
  logger.info({ otlp: redactUrlCredentials(tracing.url), sampling: tracing.sampling }, 'tracing on');
  return createOtlpTracer({ service, url: tracing.url, sampling: tracing.sampling, logger });
}

/** Set by `sf up` for its `sf run` children: standard input is a pipe from `sf up`, closed when it dies. */
const STOP_WITH_STDIN = 'SF_STOP_WITH_STDIN';

/** Stops the service gracefully once standard input ends: `sf up` was killed, even with SIGKILL, so its children do not linger. */
function stopWhenStdinCloses(stop: () => Promise<number>): void {
  process.stdin.once('end', () => void stop()).resume();
}

/** `sf`, `sf --help`, `sf help run`, `sf --version` and unknown commands; the commands themselves never get here. */
function runRoot(argv: readonly string[], io: CliIo): number {
  const output = { out: '', err: '' };
  const program = createProgram();
  for (const command of [program, ...program.commands]) {
    command.exitOverride().configureOutput({
      writeOut: (text) => {
        output.out += text;
      },
      writeErr: (text) => {
        output.err += text;
      },
      outputError: () => {},
    });
  }
  try {
    program.parse(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    const asked = error.code === 'commander.helpDisplayed' || error.code === 'commander.version';
    if (asked || (error.code === 'commander.help' && error.exitCode === 0)) {
      io.stdout(output.out);
      return 0;
    }
    if (error.code === 'commander.help') {
      // Bare `sf`: the help, on stderr since no command was run.
      io.stderr(output.err);
      return EXIT_USAGE;
    }
    const message = error.message.replace(/^error: /, '');
    // `sf -s x.ts` forgot the command: say which one.
    const hint = error.code === 'commander.unknownOption' ? `; flags go after the command, as in: sf run ${argv.join(' ')}` : '';
    throw new UsageError(`${message}${hint}`, 'sf --help');
  }
}

/** The root `sf` command; its help also describes every flag of `sf run`. */
export function createProgram(): Command {
  const run = createRunCommand();
  return new Command('sf')
    .description('Service Framework: run services that talk over named connections and replicated states.')
    .version(VERSION, '-V, --version', 'show the version')
    .helpOption('-h, --help', 'show this help')
    .helpCommand('help [command]', 'show the help of a command')
    .addCommand(run)
    .addCommand(createKeygenCommand())
    .addCommand(createCheckCommand())
    .addCommand(createGraphCommand())
    .addCommand(createInitCommand())
    .addCommand(createUpCommand())
    .addCommand(createKeysCommand())
    .addHelpText('after', () => `\nsf run\n======\n${run.helpInformation()}`);
}

function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
  };
}
