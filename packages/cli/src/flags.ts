/**
 * The flags of `sf run`: the seed's short flags (`-s`, `-a`, `-c`, `-m`, `-cl`, `-l`, `-f`, `-bc`)
 * and their long forms. One table feeds both the argv normaliser and the help text.
 */

/** Default console log level (`-cl`). */
export const DEFAULT_CONSOLE_LEVEL = 'info';
/** Default log file level (`-f`): files are for reading later, so they keep more detail. */
export const DEFAULT_FILE_LEVEL = 'debug';
/** Default number of rotated log files kept (`-bc`): files rotate hourly, so one day. */
export const DEFAULT_BACKUP_COUNT = 24;

/** Canonical name of a known `sf run` flag (its long form without the dashes). */
export type RunFlagName =
  | 'service'
  | 'addresses'
  | 'config'
  | 'creation'
  | 'main'
  | 'console-level'
  | 'log-folder'
  | 'file-level'
  | 'backup-count'
  | 'debug'
  | 'metrics'
  | 'otlp'
  | 'trace-sampling'
  | 'help';

/** One known flag of `sf run`. */
export interface RunFlag {
  /** Canonical name, also the main long form (`--<name>`). */
  name: RunFlagName;
  /** The seed's short form, e.g. `-s` or `-cl`. */
  short?: string;
  /** Further long forms, e.g. `--main-mode`. */
  aliases?: readonly string[];
  /** Placeholder of the value, e.g. `<path>`; absent for a switch. */
  value?: string;
  /** One line for the help. */
  description: string;
}

/** Every known flag of `sf run`, in help order. */
export const RUN_FLAGS: readonly RunFlag[] = [
  // Descriptions stay under 48 characters so each flag is one line of an 80-column help.
  { name: 'service', short: '-s', value: '<path>', description: 'service file (.ts .mts .js .mjs .cjs), required' },
  { name: 'addresses', short: '-a', value: '<path>', description: 'addresses JSON file (host:port per socket)' },
  { name: 'config', short: '-c', value: '<path>', description: 'config JSON file {"required", "optional"}' },
  { name: 'creation', value: '<path>', description: 'creation arguments JSON file (sf up writes it)' },
  { name: 'main', short: '-m', aliases: ['--main-mode'], description: "main mode: run the service's main, then stop" },
  { name: 'console-level', short: '-cl', value: '<level>', description: `console log level (default: ${DEFAULT_CONSOLE_LEVEL})` },
  { name: 'log-folder', short: '-l', value: '<folder>', description: 'also log to files here, rotated hourly' },
  { name: 'file-level', short: '-f', value: '<level>', description: `log file level, with -l (default: ${DEFAULT_FILE_LEVEL})` },
  { name: 'backup-count', short: '-bc', value: '<count>', description: `log files kept, with -l (default: ${DEFAULT_BACKUP_COUNT})` },
  { name: 'debug', description: 'print stack traces and causes of errors' },
  { name: 'metrics', value: '<host:port>', description: 'serve /metrics, /healthz, /readyz over HTTP' },
  { name: 'otlp', value: '<url>', description: 'export traces over OTLP/HTTP to this URL' },
  { name: 'trace-sampling', value: '<ratio>', description: 'with --otlp: share of traces kept (default: 1)' },
  { name: 'help', short: '-h', description: 'show this help' },
];

/** How a flag is written in help and messages: `-s, --service <path>`. */
export function flagTerm(flag: RunFlag): string {
  const forms = [flag.short, `--${flag.name}`, ...(flag.aliases ?? [])].filter(Boolean);
  return flag.value ? `${forms.join(', ')} ${flag.value}` : forms.join(', ');
}

/** Short label of a flag for messages: `-s/--service`. */
export function flagLabel(flag: RunFlag): string {
  return flag.short ? `${flag.short}/--${flag.name}` : `--${flag.name}`;
}

const BY_SPELLING = new Map<string, RunFlag>();
for (const flag of RUN_FLAGS) {
  if (flag.short) BY_SPELLING.set(flag.short, flag);
  for (const long of [`--${flag.name}`, ...(flag.aliases ?? [])]) {
    BY_SPELLING.set(long, flag);
    // Python users write snake_case: `--console_level` is `--console-level`.
    BY_SPELLING.set(`--${long.slice(2).replaceAll('-', '_')}`, flag);
  }
}

/** The known flag spelled `token` (`-cl`, `--console-level`, `--console_level`), if any. */
export function findRunFlag(token: string): RunFlag | undefined {
  return BY_SPELLING.get(token);
}

/** The known flag with this canonical name. */
export function runFlag(name: RunFlagName): RunFlag {
  return RUN_FLAGS.find((flag) => flag.name === name)!;
}
