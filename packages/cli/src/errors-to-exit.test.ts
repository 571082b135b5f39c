import { ConfigError, ServiceLoadError } from '@sf/core';
import { describe, expect, it } from 'vitest';
import { reportError } from './errors-to-exit.js';
import { UsageError } from './usage-error.js';

describe('reportError', () => {
  it('prints a usage error as one line with the help command, exit 2', () => {
    expect(reportError(new UsageError('--lonely has no value'), false)).toEqual({
      text: "sf: --lonely has no value. Run 'sf run --help'.\n",
      exitCode: 2,
    });
    expect(reportError(new UsageError('did you mean --debug?', 'sf --help'), true).text).toBe(
      "sf: did you mean --debug? Run 'sf --help'.\n",
    );
  });

  it('prints a framework error as its message on one line, exit 1, no stack', () => {
    const error = new ServiceLoadError('service file not found', { service: './gone.ts', hint: 'Check the path given to -s' });
    const report = reportError(error, false);
    expect(report).toEqual({ text: `sf: ${error.message}\n`, exitCode: 1 });
    expect(report.text).toContain('./gone.ts');
  });

  it('joins a multi-line message into one line', () => {
    const report = reportError(new ConfigError('SF_FILE_INVALID_JSON', 'config is not JSON:\n  line 3\n'), false);
    expect(report.text.trimEnd().split('\n')).toHaveLength(1);
    expect(report.text).toBe('sf: config is not JSON: line 3\n');
  });

  it('adds the stack and the cause chain with debug', () => {
    const root = new Error('ENOENT: no such file');
    const error = new ServiceLoadError('cannot load', { cause: new Error('import failed', { cause: root }) });
    const lines = reportError(error, true).text.split('\n');
    expect(lines[0]).toBe('sf: cannot load');
    expect(lines[1]).toBe('ServiceLoadError: cannot load');
    expect(lines.some((line) => /^\s+at /.test(line))).toBe(true);
    expect(lines).toContain('Caused by: Error: import failed');
    expect(lines).toContain('Caused by: Error: ENOENT: no such file');
  });

  it('treats an error with an SF_ code from another copy of core as a framework error', () => {
    const foreign = Object.assign(new Error('plugin too old'), { code: 'SF_PLUGIN_INCOMPATIBLE' });
    expect(reportError(foreign, false)).toEqual({ text: 'sf: plugin too old\n', exitCode: 1 });
  });

  it('prints anything else as an unexpected error, stack only with debug', () => {
    expect(reportError(new TypeError('x is not a function'), false)).toEqual({
      text: 'sf: unexpected error: x is not a function (run again with --debug to see the stack trace)\n',
      exitCode: 1,
    });
    const debug = reportError(new TypeError('x is not a function'), true).text;
    expect(debug).toMatch(/^sf: unexpected error: x is not a function\nTypeError: x is not a function\n\s+at /);
    expect(reportError('a string', false).text).toMatch(/^sf: unexpected error: a string /);
  });
});
