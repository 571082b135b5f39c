import { resolve } from 'node:path';
import { Command, CommanderError } from 'commander';
import { EXIT_FAILURE } from '../errors-to-exit.js';
import type { CliIo } from '../types.js';
import { UsageError } from '../usage-error.js';

/** Default `--name`: the files are `curve.key` and `curve.pub`. */
export const DEFAULT_KEY_NAME = 'curve';

/** What `sf keygen <args>` asks for: the help text, or where to write a key pair. */
export type KeygenArgs = { help: true; text: string } | { help: false; dir: string; name: string };

const HELP_AFTER = `
Writes NAME.key (public and secret key, mode 600: keep it with the service
that owns it, as its curve.key_file) and NAME.pub (the public key: give it to
the peers, as their curve.server_public_key_file or in their allowed-clients
file). Existing files are never overwritten.

Examples:
  sf keygen --out ./keys --name pricer
  cat keys/strategy.pub keys/monitor.pub > keys/pricer.allowed_clients
`;

/** The `keygen` command: its options and help. */
export function createKeygenCommand(): Command {
  return new Command('keygen')
    .description('Write a new CurveZMQ key pair (z85 key files) for the curve creation argument.')
    .summary('write a CurveZMQ key pair: sf keygen [-o DIR] [--name NAME]')
    .option('-o, --out <dir>', 'folder to write the key files to (created if missing)', '.')
    .option('--name <name>', 'base name of the files: NAME.key and NAME.pub', DEFAULT_KEY_NAME)
    .helpOption('-h, --help', 'show this help')
    .addHelpText('after', HELP_AFTER);
}

/** Parses the arguments after `sf keygen`; a bad command line throws a {@link UsageError}. */
export function parseKeygenArgs(argv: readonly string[], cwd: string): KeygenArgs {
  const command = createKeygenCommand();
  new Command('sf').addCommand(command);
  if (argv.includes('--help') || argv.includes('-h')) return { help: true, text: command.helpInformation() + HELP_AFTER };
  command.exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} });
  try {
    command.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) throw new UsageError(error.message.replace(/^error: /, ''), 'sf keygen --help');
    throw error;
  }
  const { out, name } = command.opts<{ out: string; name: string }>();
  if (!/^[\w-][\w.-]*$/.test(name)) {
    throw new UsageError(
      `--name '${name}' is not a plain file name (letters, digits, '.', '_' and '-', not starting with '.')`,
      'sf keygen --help',
    );
  }
  return { help: false, dir: resolve(cwd, out), name };
}

/** `sf keygen …`: writes the key pair and prints where; resolves to the exit code. */
export async function keygen(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseKeygenArgs(argv, io.cwd);
  if (parsed.help) {
    io.stdout(parsed.text);
    return 0;
  }
  // Loaded here: the ZeroMQ binding is not needed by the rest of the CLI.
  const { writeKeyPair } = await import('@sf/zmq-base');
  try {
    const written = await writeKeyPair(parsed.dir, parsed.name);
    io.stdout(
      `Wrote a CurveZMQ key pair:\n  ${written.secretFile}  secret (mode 600): for this service only, as curve.key_file\n` +
        `  ${written.publicFile}  public: for peers, as curve.server_public_key_file or in an allowed-clients file\n` +
        `public key: ${written.publicKey}\n`,
    );
    return 0;
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
    io.stderr(
      `sf: ${(error as { path?: string }).path ?? parsed.dir} already exists; keys are never overwritten: choose another --name or --out\n`,
    );
    return EXIT_FAILURE;
  }
}
