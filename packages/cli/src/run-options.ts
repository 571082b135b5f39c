import { type ListenAddress, parseListenAddress, type StartOptions } from '@sf/core';
import { DEFAULT_BACKUP_COUNT, DEFAULT_CONSOLE_LEVEL, DEFAULT_FILE_LEVEL } from './flags.js';
import { parseLogLevel } from './levels.js';
import { UsageError } from './usage-error.js';

/** The known flags of `sf run` as commander returns them (camelCased long names). */
export interface RunFlagValues {
  /** `-s/--service`. */
  service?: string;
  /** `-a/--addresses`. */
  addresses?: string;
  /** `-c/--config`. */
  config?: string;
  /** `--creation`. */
  creation?: string;
  /** `-m/--main`. */
  main?: boolean;
  /** `-cl/--console-level`. */
  consoleLevel?: string;
  /** `-l/--log-folder`. */
  logFolder?: string;
  /** `-f/--file-level`. */
  fileLevel?: string;
  /** `-bc/--backup-count`. */
  backupCount?: string;
  /** `--debug`. */
  debug?: boolean;
  /** `--metrics`. */
  metrics?: string;
  /** `--otlp`. */
  otlp?: string;
  /** `--trace-sampling`. */
  traceSampling?: string;
}

/** Where `sf run --otlp` sends traces, and how many. */
export interface TracingFlags {
  /** OTLP/HTTP URL. */
  url: string;
  /** Share of new traces kept, 0 to 1. */
  sampling: number;
}

/**
 * `--otlp <url>` and `--trace-sampling <ratio>` checked: an http(s) URL and a number from 0 to 1.
 * Undefined without `--otlp`; `--trace-sampling` alone is a usage error.
 */
export function parseTracingFlags(values: RunFlagValues): TracingFlags | undefined {
  if (values.otlp === undefined) {
    if (values.traceSampling !== undefined) throw new UsageError('--trace-sampling applies to traces, which need --otlp <url>; add --otlp');
    return undefined;
  }
  let url: URL | undefined;
  try {
    url = new URL(values.otlp);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new UsageError(
      `--otlp got '${values.otlp}'; give the OTLP/HTTP URL of a collector, as in --otlp http://127.0.0.1:4318/v1/traces`,
    );
  }
  const raw = values.traceSampling ?? '1';
  const sampling = /^\s*(\d+(\.\d*)?|\.\d+)\s*$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(sampling >= 0 && sampling <= 1)) {
    throw new UsageError(`--trace-sampling got '${raw}'; give the share of traces to keep, from 0 to 1, as in --trace-sampling 0.1`);
  }
  return { url: url.toString(), sampling };
}

/** `--metrics host:port` or `--ui host:port` as a host and port; a bad one is a usage error. */
export function parseListenFlag(flag: string, raw: string): ListenAddress {
  const address = parseListenAddress(raw);
  if (address !== undefined) return address;
  throw new UsageError(`${flag} got '${raw}'; give host:port to serve on, as in ${flag} 127.0.0.1:9464 (port 0: a free one)`);
}

/**
 * Checks the flag values and builds the runner's options: `-s` is required, levels are known,
 * the backup count is a whole number of at least 1, and the file settings (`-f`, `-bc`) come
 * with a log folder (`-l`). Paths stay as given; the runner resolves them from `cwd`.
 */
export function toStartOptions(values: RunFlagValues, extra: Record<string, string>, cwd: string): StartOptions {
  if (values.service === undefined) {
    throw new UsageError('missing -s/--service <path>: the service file to run, as in: sf run -s ./service.ts');
  }
  const fileOnly = [values.fileLevel !== undefined && '-f/--file-level', values.backupCount !== undefined && '-bc/--backup-count'].filter(
    Boolean,
  );
  if (values.logFolder === undefined && fileOnly.length > 0) {
    const names = fileOnly.join(' and ');
    const verb = fileOnly.length === 1 ? 'applies' : 'apply';
    throw new UsageError(`${names} only ${verb} to log files, which need -l/--log-folder <folder>; add -l ./logs or drop ${names}`);
  }
  const logging: StartOptions['logging'] = {
    consoleLevel: parseLogLevel(values.consoleLevel ?? DEFAULT_CONSOLE_LEVEL, '-cl/--console-level'),
    fileLevel: parseLogLevel(values.fileLevel ?? DEFAULT_FILE_LEVEL, '-f/--file-level'),
    backupCount: parseBackupCount(values.backupCount),
  };
  if (values.logFolder !== undefined) logging.folder = values.logFolder;
  const options: StartOptions = {
    service: values.service,
    extra,
    mainMode: values.main === true,
    cwd,
    debug: values.debug === true,
    logging,
  };
  if (values.addresses !== undefined) options.addresses = values.addresses;
  if (values.config !== undefined) options.config = values.config;
  if (values.creation !== undefined) options.creation = values.creation;
  if (values.metrics !== undefined) options.metrics = true;
  return options;
}

function parseBackupCount(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_BACKUP_COUNT;
  const count = /^\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (Number.isSafeInteger(count) && count >= 1) return count;
  throw new UsageError(`-bc/--backup-count got '${raw}'; give the number of log files to keep, a whole number of 1 or more`);
}
