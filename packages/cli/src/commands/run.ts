import type { ListenAddress, StartOptions } from '@sf/core';
import { Command, CommanderError, Help, Option } from 'commander';
import { normaliseRunArgv } from '../argv.js';
import { flagTerm, RUN_FLAGS, type RunFlag } from '../flags.js';
import { parseListenFlag, parseTracingFlags, type RunFlagValues, type TracingFlags, toStartOptions } from '../run-options.js';
import { UsageError } from '../usage-error.js';

/** What `sf run <args>` asks for: the help text, or a service to start. */
export type RunArgs =
  | { help: true; text: string }
  | { help: false; options: StartOptions; metrics?: ListenAddress; tracing?: TracingFlags };

const HELP_AFTER = `
Config arguments:
  --<key> <value>, -<key> <value>, --<key>=<value>
      any other pair is added to config (converted to the config_model type):
      --random_variable HELLO gives config.random_variable = 'HELLO' (before
      setup_config runs)
  -- --<key> <value> ...
      after a lone --, every pair is config, even one spelt like a flag:
      -- --debug yes gives config.debug = 'yes' (sf up passes extra this way)

Log levels: trace, debug, info, warn, error, fatal (any case; Python's
WARNING and CRITICAL too). Log files rotate every hour, so -bc 24 keeps a day.

Examples:
  sf run -s ./service.ts -a ./addresses.json -c ./config.json
  sf run -s ./client.ts -m -cl debug --random_variable HELLO
  sf run -s ./service.ts -a ./addresses.json -l ./logs -f info -bc 48
  sf run -s ./service.ts -a ./addresses.json --metrics 127.0.0.1:9464
  sf run -s ./service.ts -a ./addresses.json --otlp http://127.0.0.1:4318/v1/traces
`;

/**
 * The `run` command: its options and help. Parsing goes through {@link parseRunArgs}, whose
 * normaliser turns the seed's short flags into the long forms declared here.
 */
export function createRunCommand(): Command {
  const command = new Command('run')
    .description(
      'Start a service: load it, check its models, open its connections and states, then serve until ' +
        'SIGINT/SIGTERM (or, with -m, run its main and stop).',
    )
    .summary('start a service: sf run -s ./service.ts [flags]')
    .usage('-s <path> [flags] [--<key> <value> ...] [-- --<key> <value> ...]')
    .helpOption('-h, --help', 'show this help');
  const terms = new Map<string, string>();
  for (const flag of RUN_FLAGS) {
    terms.set(`--${flag.name}`, flagTerm(flag));
    if (flag.name !== 'help') command.addOption(toOption(flag));
  }
  return command.configureHelp({
    // Commander only knows one-letter short flags; show the seed's `-cl` and `-bc` all the same.
    optionTerm: (option) => (option.long && terms.get(option.long)) ?? option.flags,
    // Part of the help text itself (not an `afterHelp` event), so helpInformation() has it too.
    formatHelp: (cmd, helper) => Help.prototype.formatHelp.call(helper, cmd, helper) + HELP_AFTER,
  });
}

function toOption(flag: RunFlag): Option {
  return new Option(flag.value ? `--${flag.name} ${flag.value}` : `--${flag.name}`, flag.description);
}

/**
 * Parses the arguments after `sf run` (for example `['-s', './service.ts', '-cl', 'DEBUG']`) into
 * the runner's options, or the help text when `-h`/`--help` is among them. A bad command line
 * throws a {@link UsageError} that names the offending argument.
 */
export function parseRunArgs(argv: readonly string[], cwd: string = process.cwd()): RunArgs {
  const normalised = normaliseRunArgv(argv);
  const command = createRunCommand();
  new Command('sf').addCommand(command); // a parent, so the usage line reads `sf run`
  if (normalised.argv.includes('--help')) return { help: true, text: command.helpInformation() };
  command.exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} });
  try {
    command.parse(normalised.argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) throw new UsageError(error.message.replace(/^error: /, ''));
    throw error;
  }
  const values = command.opts<RunFlagValues>();
  const options = toStartOptions(values, normalised.extra, cwd);
  const tracing = parseTracingFlags(values);
  return {
    help: false,
    options,
    ...(values.metrics !== undefined && { metrics: parseListenFlag('--metrics', values.metrics) }),
    ...(tracing !== undefined && { tracing }),
  };
}
