import { LOG_LEVELS } from '@sf/core';
import { describe, expect, it } from 'vitest';
import { parseLogLevel } from './levels.js';
import { UsageError } from './usage-error.js';

describe('parseLogLevel', () => {
  it('accepts every level in any case', () => {
    for (const level of LOG_LEVELS) {
      expect(parseLogLevel(level, '-cl')).toBe(level);
      expect(parseLogLevel(level.toUpperCase(), '-cl')).toBe(level);
    }
  });

  it("accepts Python's names", () => {
    expect(parseLogLevel('DEBUG', '-cl')).toBe('debug');
    expect(parseLogLevel('INFO', '-cl')).toBe('info');
    expect(parseLogLevel('WARNING', '-cl')).toBe('warn');
    expect(parseLogLevel('ERROR', '-cl')).toBe('error');
    expect(parseLogLevel('CRITICAL', '-cl')).toBe('fatal');
  });

  it('names the flag and the levels for anything else', () => {
    expect(() => parseLogLevel('verbose', '-f/--file-level')).toThrow(UsageError);
    expect(() => parseLogLevel('verbose', '-f/--file-level')).toThrow(
      "-f/--file-level got 'verbose', which is not a log level; use one of trace, debug, info, warn, error, fatal",
    );
    expect(() => parseLogLevel('', '-cl')).toThrow(/got ''/);
  });
});
