import { Command, CommanderError } from 'commander';
import { UsageError } from '../usage-error.js';

/** What a command's arguments ask for: its help text, or the parsed command. */
export type Parsed = { help: true; text: string } | { help: false; command: Command };

/**
 * Parses the arguments after `sf <name>` with `command` (made by its `create…Command()`); `-h`
 * gives the help text; a bad command line throws a {@link UsageError} pointing at `sf <name> --help`.
 */
export function parseCommand(command: Command, argv: readonly string[]): Parsed {
  new Command('sf').addCommand(command);
  if (argv.includes('--help') || argv.includes('-h')) return { help: true, text: command.helpInformation() };
  command.exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} });
  try {
    command.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) throw new UsageError(error.message.replace(/^error: /, ''), `sf ${command.name()} --help`);
    throw error;
  }
  return { help: false, command };
}
