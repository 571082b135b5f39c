import { type Logger, pino } from 'pino';
import type { LogLevel } from '../runner/logger.js';

/** One entry written to a recording logger, with the objects as passed (errors unserialized). */
export interface RecordedLog {
  /** Level name, e.g. `warn`. */
  level: LogLevel;
  /** Fields passed first (merged with the child logger's bindings), e.g. `{ workflow_id, err }`. */
  fields: Record<string, unknown>;
  /** The message. */
  msg: string | undefined;
}

/** A service logger (pino, as the runner's) that keeps every entry in memory and writes nothing. */
export interface RecordingLogger {
  /** The logger to hand to the runner's parts. */
  readonly logger: Logger;
  /** Entries logged so far, oldest first. */
  readonly entries: RecordedLog[];
}

/** Creates a {@link RecordingLogger} for service `name` that records entries at `level` and above (default `debug`). */
export function recordingLogger(name: string, level: LogLevel = 'debug'): RecordingLogger {
  const entries: RecordedLog[] = [];
  const logger = pino(
    {
      level,
      base: { service: name },
      hooks: {
        logMethod(args, method, levelNumber) {
          const [first, second] = args as unknown[];
          const bindings = this.bindings();
          const fields = typeof first === 'object' && first !== null ? { ...bindings, ...(first as Record<string, unknown>) } : bindings;
          const msg = typeof first === 'string' ? first : typeof second === 'string' ? second : undefined;
          entries.push({ level: pino.levels.labels[levelNumber] as LogLevel, fields, msg });
          method.apply(this, args as Parameters<typeof method>);
        },
      },
    },
    { write: () => undefined },
  );
  return { logger, entries };
}
