import { Command, CommanderError } from 'commander';
import type { CliIo } from '../types.js';
import { UsageError } from '../usage-error.js';

/** A command that works on a system file: `sf <name> [system]`, with `-h`. */
export function systemCommand(name: string): Command {
  return new Command(name)
    .argument('[system]', 'the system file, or its folder', 'sf.system.json')
    .helpOption('-h, --help', 'show this help');
}

/**
 * Runs `sf <name> <argv>` with `command` (made by its `create…Command()`): `-h` prints the help;
 * otherwise `action` gets the parsed command. A bad command line throws a {@link UsageError}
 * pointing at `sf <name> --help`. Resolves to the exit code.
 */
export async function runCommand(
  command: Command,
  argv: readonly string[],
  io: CliIo,
  action: (parsed: Command) => Promise<number>,
): Promise<number> {
  new Command('sf').addCommand(command);
  if (argv.includes('--help') || argv.includes('-h')) {
    // outputHelp, not helpInformation: it includes the text added with addHelpText.
    command.configureOutput({ writeOut: (text) => io.stdout(text) }).outputHelp();
    return 0;
  }
  command.exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} });
  try {
    command.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) throw new UsageError(error.message.replace(/^error: /, ''), `sf ${command.name()} --help`);
    throw error;
  }
  return await action(command);
}
