import { join } from 'node:path';
import { type DestinationStream, type Logger, type StreamEntry, multistream, pino } from 'pino';
import { consoleStream } from './console-line.js';
import { REDACTED } from './redaction.js';

/** Log levels, lowest first. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Logging set-up: the seed's `-cl`, `-l`, `-f`, `-bc`. */
export interface LoggingOptions {
  /** Level written to the console (`-cl`). */
  consoleLevel?: LogLevel;
  /** Folder for hourly-rotated log files (`-l`); none when absent. */
  folder?: string;
  /** Level written to the files (`-f`). */
  fileLevel?: LogLevel;
  /** How many rotated files to keep (`-bc`). */
  backupCount?: number;
}

/** The framework's logger (pino). */
export type { Logger };

/** Each logger's log file stream (sonic-boom, written asynchronously), for {@link flushLogFiles}. */
const FILES = new WeakMap<Logger, DestinationStream>();

/** Longest wait for the log file to open, at the end. */
const FLUSH_FILES_MS = 2000;

/**
 * Writes out what the logger's log file still holds, before the process exits: `logger.flush()`
 * only starts an asynchronous write (or none while the file is still opening), which
 * `process.exit` would cut short, so a main-mode service that ended at once left no log file. The
 * file stays open: a late line (a socket closing) is still written.
 */
export async function flushLogFiles(logger: Logger): Promise<void> {
  const file = FILES.get(logger) as (DestinationStream & NodeJS.EventEmitter & { fd?: number; flushSync?: () => void }) | undefined;
  if (file?.flushSync === undefined) return;
  if (file.fd === undefined || file.fd < 0) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => file.once('ready', () => resolve())),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, FLUSH_FILES_MS))),
    ]);
    clearTimeout(timer);
  }
  try {
    file.flushSync();
  } catch {
    // Still not open, or gone: nothing more can be written.
  }
}

/**
 * Creates the service's logger: readable single lines on stdout at the console level, and, with a
 * folder, JSON lines in `<folder>/<name>.log` rotated every hour keeping `backupCount` files.
 * Values at the `redact` paths (pino syntax, e.g. `config.api_token`) are written as `[redacted]`
 * everywhere, in this logger and its children.
 */
export async function createLogger(name: string, options: LoggingOptions = {}, redact: readonly string[] = []): Promise<Logger> {
  const consoleLevel = options.consoleLevel ?? 'info';
  const streams: StreamEntry[] = [
    // Errors stay on their line as JSON; their stack goes to the log files only.
    { level: consoleLevel, stream: consoleStream() },
  ];
  let fileLevel: LogLevel | undefined;
  if (options.folder !== undefined) {
    fileLevel = options.fileLevel ?? 'debug';
    // Loaded only for log files: it pulls in date-fns, a good part of start-up without them.
    const { default: rollingFile } = await import('pino-roll');
    const file: DestinationStream = await rollingFile({
      file: join(options.folder, name),
      extension: '.log',
      frequency: 'hourly',
      mkdir: true,
      limit: { count: options.backupCount ?? 24 },
    });
    streams.push({ level: fileLevel, stream: file });
  }
  const level = lowest(consoleLevel, fileLevel);
  const logger = pino(
    {
      level,
      base: { service: name },
      formatters: { log: errorFields },
      ...(redact.length > 0 && { redact: { paths: [...redact], censor: REDACTED } }),
    },
    multistream(streams),
  );
  const file = streams[1]?.stream;
  if (file !== undefined) FILES.set(logger, file);
  return logger;
}

/** Logs `{ err }` as `error: { type, message, code…, stack }`, which the console prints on one line. */
function errorFields(entry: Record<string, unknown>): Record<string, unknown> {
  const { err, ...rest } = entry;
  if (err === undefined) return entry;
  if (!(err instanceof Error)) return { ...rest, error: err };
  const { what: _what, ...fields } = err as Error & { what?: unknown };
  return { ...rest, error: { type: err.name, ...fields, message: err.message, stack: err.stack } };
}

function lowest(a: LogLevel, b: LogLevel | undefined): LogLevel {
  if (b === undefined) return a;
  return LOG_LEVELS.indexOf(a) <= LOG_LEVELS.indexOf(b) ? a : b;
}
