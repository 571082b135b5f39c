import { describe, expect, it } from 'vitest';
import { RUN_FLAGS } from '../flags.js';
import { UsageError } from '../usage-error.js';
import { parseRunArgs } from './run.js';

function options(argv: string[]) {
  const parsed = parseRunArgs(argv, '/project');
  if (parsed.help) throw new Error('expected options, got help');
  return parsed.options;
}

function usageMessage(argv: string[]): string {
  expect(() => parseRunArgs(argv, '/project')).toThrow(UsageError);
  try {
    parseRunArgs(argv, '/project');
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}

describe('parseRunArgs', () => {
  it('fills the defaults around -s', () => {
    expect(options(['-s', './svc.ts'])).toEqual({
      service: './svc.ts',
      extra: {},
      mainMode: false,
      cwd: '/project',
      debug: false,
      logging: { consoleLevel: 'info', fileLevel: 'debug', backupCount: 24 },
    });
  });

  it('reads every seed short flag', () => {
    const argv = [
      '-s',
      'svc.ts',
      '-a',
      'a.json',
      '-c',
      'c.json',
      '-m',
      '-cl',
      'WARNING',
      '-l',
      'logs',
      '-f',
      'INFO',
      '-bc',
      '48',
      '--debug',
      '--random_variable',
      'HELLO',
    ];
    expect(options(argv)).toEqual({
      service: 'svc.ts',
      addresses: 'a.json',
      config: 'c.json',
      extra: { random_variable: 'HELLO' },
      mainMode: true,
      cwd: '/project',
      debug: true,
      logging: { consoleLevel: 'warn', folder: 'logs', fileLevel: 'info', backupCount: 48 },
    });
  });

  it('reads every long flag', () => {
    const argv = [
      '--service=svc.ts',
      '--addresses',
      'a.json',
      '--config',
      'c.json',
      '--main-mode',
      '--console-level',
      'CRITICAL',
      '--log-folder',
      'logs',
      '--file-level',
      'trace',
      '--backup-count',
      '2',
    ];
    expect(options(argv)).toMatchObject({
      service: 'svc.ts',
      addresses: 'a.json',
      config: 'c.json',
      mainMode: true,
      logging: { consoleLevel: 'fatal', folder: 'logs', fileLevel: 'trace', backupCount: 2 },
    });
  });

  it('returns the help text with every flag for -h and --help', () => {
    for (const flag of ['-h', '--help']) {
      const parsed = parseRunArgs(['-s', 'x.ts', flag]);
      expect(parsed.help).toBe(true);
      const text = parsed.help ? parsed.text : '';
      for (const known of RUN_FLAGS) {
        expect(text).toContain(`--${known.name}`);
        if (known.short) expect(text).toContain(`${known.short}, --${known.name}`);
      }
      expect(text).toContain('--<key> <value>');
      expect(text).toContain('sf run -s ./service.ts');
    }
  });

  it('requires -s', () => {
    expect(usageMessage([])).toBe('missing -s/--service <path>: the service file to run, as in: sf run -s ./service.ts');
    expect(usageMessage(['-m', '--x', 'y'])).toMatch(/^missing -s\/--service/);
  });

  it('refuses unknown log levels, naming the flag and the levels', () => {
    expect(usageMessage(['-s', 'x.ts', '-cl', 'loud'])).toBe(
      "-cl/--console-level got 'loud', which is not a log level; use one of trace, debug, info, warn, error, fatal",
    );
    expect(usageMessage(['-s', 'x.ts', '-l', 'logs', '-f', 'NOTSET'])).toMatch(/^-f\/--file-level got 'NOTSET'/);
  });

  it('refuses a backup count that is not a whole number of at least 1', () => {
    for (const count of ['0', '-1', '2.5', 'ten', '1e3']) {
      expect(usageMessage(['-s', 'x.ts', '-l', 'logs', '-bc', count])).toMatch(
        new RegExp(`^-bc/--backup-count got '${count.replace('.', '\\.')}'`),
      );
    }
  });

  it('refuses file settings without a log folder', () => {
    expect(usageMessage(['-s', 'x.ts', '-f', 'info'])).toBe(
      '-f/--file-level only applies to log files, which need -l/--log-folder <folder>; add -l ./logs or drop -f/--file-level',
    );
    expect(usageMessage(['-s', 'x.ts', '-f', 'info', '-bc', '3'])).toMatch(
      /^-f\/--file-level and -bc\/--backup-count only apply to log files/,
    );
  });

  it('passes usage errors of the normaliser through', () => {
    expect(usageMessage(['-s', 'x.ts', '--lonely'])).toMatch(/^--lonely has no value/);
  });
});

describe('--metrics', () => {
  it('turns metrics on and gives the address to serve them on', () => {
    const parsed = parseRunArgs(['-s', 'svc.ts', '--metrics', '0.0.0.0:9464'], '/project');
    expect(parsed).toMatchObject({ help: false, options: { metrics: true }, metrics: { host: '0.0.0.0', port: 9464 } });
    expect(parseRunArgs(['-s', 'svc.ts', '--metrics=:0'], '/project')).toMatchObject({ metrics: { host: '127.0.0.1', port: 0 } });
    expect(parseRunArgs(['-s', 'svc.ts', '--metrics', '[::1]:9464'], '/project')).toMatchObject({ metrics: { host: '::1', port: 9464 } });
    expect(options(['-s', 'svc.ts']).metrics).toBeUndefined();
  });

  it('refuses what is not host:port, saying how to write it', () => {
    expect(usageMessage(['-s', 'svc.ts', '--metrics', '9464'])).toBe(
      "--metrics got '9464'; give host:port to serve on, as in --metrics 127.0.0.1:9464 (port 0: a free one)",
    );
    expect(usageMessage(['-s', 'svc.ts', '--metrics', 'localhost:70000'])).toContain("--metrics got 'localhost:70000'");
  });
});

describe('--otlp and --trace-sampling', () => {
  it('turn tracing on with a URL and a ratio (default 1); without --otlp there is no tracing', () => {
    expect(parseRunArgs(['-s', 'svc.ts', '--otlp', 'http://127.0.0.1:4318/v1/traces'], '/project')).toMatchObject({
      tracing: { url: 'http://127.0.0.1:4318/v1/traces', sampling: 1 },
    });
    expect(parseRunArgs(['-s', 'svc.ts', '--otlp=https://otel.example:4318', '--trace-sampling', '0.25'], '/project')).toMatchObject({
      tracing: { url: 'https://otel.example:4318/', sampling: 0.25 },
    });
    expect('tracing' in parseRunArgs(['-s', 'svc.ts'], '/project')).toBe(false);
  });

  it('refuses a URL that is not http(s), a ratio outside 0..1, and a ratio without --otlp', () => {
    expect(usageMessage(['-s', 'svc.ts', '--otlp', '127.0.0.1:4318'])).toMatch(/^--otlp got '127.0.0.1:4318'; give the OTLP\/HTTP URL/);
    expect(usageMessage(['-s', 'svc.ts', '--otlp', 'grpc://x:4317'])).toMatch(/^--otlp got 'grpc:\/\/x:4317'/);
    expect(usageMessage(['-s', 'svc.ts', '--otlp', 'http://x:4318', '--trace-sampling', '1.5'])).toMatch(
      /^--trace-sampling got '1.5'; give the share of traces to keep, from 0 to 1/,
    );
    expect(usageMessage(['-s', 'svc.ts', '--otlp', 'http://x:4318', '--trace-sampling', 'all'])).toMatch(/^--trace-sampling got 'all'/);
    expect(usageMessage(['-s', 'svc.ts', '--trace-sampling', '0.5'])).toMatch(/^--trace-sampling applies to traces, which need --otlp/);
  });
});
