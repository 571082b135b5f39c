import type { Command } from 'commander';
import type { CliIo } from '../types.js';
import { runCommand, systemCommand } from './parse-command.js';
import { systemModule } from './system-module.js';

const HELP_AFTER = `
Writes one CurveZMQ key pair per service of the system into its keys folder
(the system file's "keys", default keys/ next to it): SERVICE.key (public and
secret key, mode 600) and SERVICE.pub. sf up then encrypts every wire that
crosses hosts with them, each binding socket letting in exactly the services
wired to it. Running it again makes new keys for all (a rotation): restart the
system afterwards. Python 0.0.3 services get none (0.0.3 has no CurveZMQ).

Copy the folder to every host (each host needs the .key files of the services
it runs and the .pub files of their peers).
`;

/** The `keys` command: its options and help. */
export function createKeysCommand(): Command {
  return systemCommand('keys')
    .description('Write (or rotate) a CurveZMQ key pair for every service of a system.')
    .summary('write the key pairs that encrypt a system across hosts: sf keys [system]')
    .addHelpText('after', HELP_AFTER);
}

/** `sf keys …`: writes every service's key pair and prints where; resolves to the exit code. */
export function keys(argv: readonly string[], io: CliIo): Promise<number> {
  return runCommand(createKeysCommand(), argv, io, async (command) => {
    const { keyedServices, keysDir, loadSystem } = await systemModule();
    const system = await loadSystem(command.args[0], io.cwd);
    // Loaded here: the ZeroMQ binding is not needed by the rest of the CLI.
    const { writeKeyPair } = await import('@sf/zmq-base');
    const dir = keysDir(system);
    const lines: string[] = [];
    for (const { service } of keyedServices(system)) {
      const written = await writeKeyPair(dir, service, { replace: true });
      lines.push(`  ${service}: ${written.publicKey}`);
    }
    io.stdout(`Wrote ${lines.length} key pair(s) to ${dir} (SERVICE.key mode 600, SERVICE.pub):\n${lines.join('\n')}\n`);
    return 0;
  });
}
