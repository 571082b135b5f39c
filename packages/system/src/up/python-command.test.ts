import { describe, expect, it } from 'vitest';
import { pythonCommand, pythonRun } from './python-command.js';

const values = {
  service: '/s/quoter.py',
  addresses: '/run/quoter.json',
  name: 'quoter',
  flags: ['-s', '/s/quoter.py', '-a', '/run/quoter.json', '-m'],
};

describe('pythonCommand', () => {
  it('runs python3 -m service_framework with the 0.0.3 flags by default', () => {
    expect(pythonCommand(pythonRun(true)!, '/s', values)).toEqual(['python3', '-m', 'service_framework', ...values.flags]);
    expect(pythonCommand(pythonRun('.venv/bin/python')!, '/s', values)).toEqual([
      '/s/.venv/bin/python',
      '-m',
      'service_framework',
      ...values.flags,
    ]);
    expect(pythonRun(false)).toBeUndefined();
  });

  it('runs another module, or a script relative to the system file, with its own arguments filled in', () => {
    expect(pythonCommand({ module: 'my_framework' }, '/s', values)).toEqual(['python3', '-m', 'my_framework', ...values.flags]);
    const run = {
      interpreter: '/usr/bin/python3',
      script: 'tools/run.py',
      args: ['--addresses={addresses}', '{service}', '--name', '{name}', '--config', '{config}'],
    };
    expect(pythonCommand(run, '/s', values)).toEqual([
      '/usr/bin/python3',
      '/s/tools/run.py',
      '--addresses=/run/quoter.json',
      '/s/quoter.py',
      '--name',
      'quoter',
      '--config',
      '',
    ]);
    expect(pythonCommand(run, '/s', { ...values, config: '/s/config.json' }).at(-1)).toBe('/s/config.json');
  });
});
