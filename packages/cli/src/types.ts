/** Where the CLI writes and which folder it resolves paths from. */
export interface CliIo {
  /** Writes to standard output. */
  stdout(text: string): void;
  /** Writes to standard error. */
  stderr(text: string): void;
  /** Folder relative paths are resolved from. */
  cwd: string;
}

/** One `sf` command that works on its own arguments: resolves to the exit code. */
export type CliCommand = (argv: readonly string[], io: CliIo) => Promise<number>;
