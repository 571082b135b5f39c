import { LOG_LEVELS, type LogLevel } from '@sf/core';
import { UsageError } from './usage-error.js';

// The seed passed Python logging names; keep them working.
const PYTHON_NAMES: Readonly<Record<string, LogLevel>> = { warning: 'warn', critical: 'fatal' };

/**
 * Reads a log level given to `flag`: case-insensitive, Python's names (`INFO`, `WARNING`,
 * `CRITICAL`) included. Anything else is a {@link UsageError} listing the levels.
 */
export function parseLogLevel(input: string, flag: string): LogLevel {
  const lower = input.trim().toLowerCase();
  const level = (LOG_LEVELS as readonly string[]).includes(lower) ? (lower as LogLevel) : PYTHON_NAMES[lower];
  if (level) return level;
  throw new UsageError(`${flag} got '${input}', which is not a log level; use one of ${LOG_LEVELS.join(', ')}`);
}
