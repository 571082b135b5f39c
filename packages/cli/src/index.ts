export { normaliseRunArgv, type NormalisedRunArgv } from './argv.js';
export { createKeygenCommand, DEFAULT_KEY_NAME, type KeygenArgs, keygen, parseKeygenArgs } from './commands/keygen.js';
export { createRunCommand, parseRunArgs, type RunArgs } from './commands/run.js';
export { EXIT_FAILURE, EXIT_USAGE, type ErrorReport, reportError } from './errors-to-exit.js';
export {
  DEFAULT_BACKUP_COUNT,
  DEFAULT_CONSOLE_LEVEL,
  DEFAULT_FILE_LEVEL,
  RUN_FLAGS,
  type RunFlag,
  type RunFlagName,
} from './flags.js';
export { parseLogLevel } from './levels.js';
export { createProgram, main, VERSION } from './program.js';
export type { CliCommand, CliIo } from './types.js';
export { type RunFlagValues, toStartOptions } from './run-options.js';
export { UsageError } from './usage-error.js';
