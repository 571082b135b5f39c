/** A command line the `sf` command cannot use: an unknown or incomplete flag, a stray argument. */
export class UsageError extends Error {
  /** Stable machine-readable code. */
  readonly code = 'SF_USAGE';
  /** The command whose help explains the right usage, e.g. `sf run --help`. */
  readonly helpCommand: string;

  constructor(message: string, helpCommand = 'sf run --help') {
    super(message);
    this.name = 'UsageError';
    this.helpCommand = helpCommand;
  }
}
