import { describe, expect, it } from 'vitest';
import { normaliseRunArgv } from './argv.js';
import { UsageError } from './usage-error.js';

function usageMessage(argv: string[]): string {
  try {
    normaliseRunArgv(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as UsageError).message;
  }
  throw new Error(`expected a UsageError for ${JSON.stringify(argv)}`);
}

describe('normaliseRunArgv: known flags', () => {
  it.each([
    [['-s', 'svc.ts'], '--service=svc.ts'],
    [['--service', 'svc.ts'], '--service=svc.ts'],
    [['--service=svc.ts'], '--service=svc.ts'],
    [['-s=svc.ts'], '--service=svc.ts'],
    [['-a', 'addr.json'], '--addresses=addr.json'],
    [['--addresses', 'addr.json'], '--addresses=addr.json'],
    [['-c', 'conf.json'], '--config=conf.json'],
    [['--config', 'conf.json'], '--config=conf.json'],
    [['-m'], '--main'],
    [['--main'], '--main'],
    [['--main-mode'], '--main'],
    [['--main_mode'], '--main'],
    [['-cl', 'DEBUG'], '--console-level=DEBUG'],
    [['--console-level', 'warn'], '--console-level=warn'],
    [['--console_level', 'warn'], '--console-level=warn'],
    [['-l', 'logs'], '--log-folder=logs'],
    [['--log-folder', 'logs'], '--log-folder=logs'],
    [['--log_folder=logs'], '--log-folder=logs'],
    [['-f', 'info'], '--file-level=info'],
    [['--file-level', 'info'], '--file-level=info'],
    [['-bc', '48'], '--backup-count=48'],
    [['--backup-count', '48'], '--backup-count=48'],
    [['--debug'], '--debug'],
  ])('%j → %s', (argv, canonical) => {
    expect(normaliseRunArgv(argv)).toEqual({ argv: [canonical], extra: {} });
  });

  it('keeps the order of a full seed command line', () => {
    const argv = [
      '-s',
      './svc.ts',
      '-a',
      './a.json',
      '-c',
      './c.json',
      '-m',
      '-cl',
      'INFO',
      '-l',
      './logs',
      '-f',
      'DEBUG',
      '-bc',
      '5',
      '--debug',
    ];
    expect(normaliseRunArgv(argv).argv).toEqual([
      '--service=./svc.ts',
      '--addresses=./a.json',
      '--config=./c.json',
      '--main',
      '--console-level=INFO',
      '--log-folder=./logs',
      '--file-level=DEBUG',
      '--backup-count=5',
      '--debug',
    ]);
  });

  it('takes a value that starts with a dash only through --flag=value', () => {
    expect(normaliseRunArgv(['--service=-odd.ts']).argv).toEqual(['--service=-odd.ts']);
    expect(usageMessage(['-s', '-odd.ts'])).toMatch(/^-s needs a value <path> but the next argument is the flag -odd\.ts/);
  });

  it('returns only --help when -h or --help is anywhere, even next to mistakes', () => {
    expect(normaliseRunArgv(['-s', 'x.ts', '-h'])).toEqual({ argv: ['--help'], extra: {} });
    expect(normaliseRunArgv(['--stray', '--help'])).toEqual({ argv: ['--help'], extra: {} });
  });
});

describe('normaliseRunArgv: extra config pairs', () => {
  it('puts --key value, -key value and --key=value into extra as strings', () => {
    const result = normaliseRunArgv(['-s', 'x.ts', '--random_variable', 'HELLO', '-port', '8001', '--mode=fast', '--empty=']);
    expect(result.argv).toEqual(['--service=x.ts']);
    expect(result.extra).toEqual({ random_variable: 'HELLO', port: '8001', mode: 'fast', empty: '' });
  });

  it('accepts negative numbers and a lone dash as values', () => {
    expect(normaliseRunArgv(['--offset', '-5', '--ratio', '-.5', '--input', '-']).extra).toEqual({
      offset: '-5',
      ratio: '-.5',
      input: '-',
    });
  });

  it('takes every pair after a lone -- as config, even one spelt like a flag, and values starting with -', () => {
    const result = normaliseRunArgv(['-s', 'x.ts', '-m', '--', '--debug', 'yes', '-s', 'other', '--help=no', '--level', '-x']);
    expect(result.argv).toEqual(['--service=x.ts', '--main']);
    expect(result.extra).toEqual({ debug: 'yes', s: 'other', help: 'no', level: '-x' });
  });

  it('refuses after -- a key without a value, a stray value and a repeated key', () => {
    expect(() => normaliseRunArgv(['-s', 'x.ts', '--', '--debug'])).toThrow(/--debug after -- has no value/);
    expect(() => normaliseRunArgv(['-s', 'x.ts', '--', 'yes', 'no'])).toThrow(/unexpected argument 'yes' after --/);
    expect(() => normaliseRunArgv(['-s', 'x.ts', '--key', 'a', '--', '--key', 'b'])).toThrow(/'key' is given twice/);
  });

  it('keeps values that contain =', () => {
    expect(normaliseRunArgv(['--query=a=b']).extra).toEqual({ query: 'a=b' });
  });

  it('keeps __proto__ as a plain key', () => {
    const { extra } = normaliseRunArgv(['--__proto__', 'x']);
    expect(Object.keys(extra)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(extra)).toBe(Object.prototype);
  });
});

describe('normaliseRunArgv: odd ones out', () => {
  it('names a key without a value', () => {
    expect(usageMessage(['-s', 'x.ts', '--lonely'])).toBe(
      '--lonely has no value (nothing follows it): extra arguments are config pairs, write --lonely <value> or --lonely=<value>',
    );
    expect(usageMessage(['--lonely', '-m'])).toMatch(/^--lonely has no value \(the next argument is the flag -m\)/);
  });

  it('suggests the known flag a single-dash key looks like', () => {
    expect(usageMessage(['-s', 'x.ts', '-debug'])).toMatch(/-debug has no value .*did you mean --debug\?$/);
  });

  it('names a stray positional argument', () => {
    expect(usageMessage(['-s', 'x.ts', 'stray'])).toBe(
      "unexpected argument 'stray': sf run takes only flags, and extra config arguments come in pairs (--key value)",
    );
  });

  it('explains a service file given without -s', () => {
    expect(usageMessage(['./service.ts'])).toBe(
      "unexpected argument './service.ts': give the service file with -s, as in: sf run -s ./service.ts",
    );
  });

  it('explains a value given to a switch', () => {
    expect(usageMessage(['-m', 'true'])).toBe("unexpected argument 'true': -m is a switch and takes no value");
    expect(usageMessage(['--debug=yes'])).toBe("--debug is a switch and takes no value; remove '=yes'");
  });

  it('names a flag missing its value', () => {
    expect(usageMessage(['-s'])).toBe(
      "-s needs a value <path> but nothing follows it; write -s <path> (or --service=<path> for a value starting with '-')",
    );
    expect(usageMessage(['-cl', '-m'])).toMatch(/^-cl needs a value <level> but the next argument is the flag -m/);
    expect(usageMessage(['-a', ''])).toBe('-a got an empty value; give it <path>');
  });

  it('refuses a flag or a key given twice, whatever the spelling', () => {
    expect(usageMessage(['-s', 'a.ts', '--service', 'b.ts'])).toBe('-s/--service is given twice; give it once');
    expect(usageMessage(['-m', '--main-mode'])).toBe('-m/--main is given twice; give it once');
    expect(usageMessage(['--k', '1', '-k', '2'])).toBe("config argument 'k' is given twice (as -k); give it once");
  });

  it('refuses keys that are only dashes (a lone -- starts the config pairs)', () => {
    expect(normaliseRunArgv(['-s', 'x.ts', '--'])).toEqual({ argv: ['--service=x.ts'], extra: {} });
    expect(usageMessage(['--', '---x', 'v'])).toMatch(/^unexpected argument '---x' after --/);
    expect(usageMessage(['---x', 'v'])).toMatch(/^unexpected argument '---x'/);
    expect(usageMessage(['--=v'])).toMatch(/^unexpected argument '--=v'/);
  });
});
