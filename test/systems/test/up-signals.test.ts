/**
 * How `sf up` stops, and what it passes: Ctrl-C in a terminal (SIGINT to the whole process group),
 * `sf up` killed with SIGKILL while a Python service runs, config pairs that look like flags,
 * a usage error, and per-service log settings.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { PEER_003, PYTHON } from '../src/python.js';
import { ROOT, runSf } from '../src/run-sf.js';
import { isAlive, spawnSf, stopAll } from '../src/sf-process.js';

afterEach(stopAll);

const fixture = (path: string) => join(ROOT, 'test/systems/fixtures', path);
const dir = mkdtemp(join(tmpdir(), 'sf-up-signals-'));
afterAll(async () => rm(await dir, { recursive: true, force: true }));
const system = async (name: string, spec: object) => {
  const file = join(await dir, `${name}.system.json`);
  await writeFile(file, JSON.stringify({ name, ...spec }));
  return file;
};
/** The final status table of `sf up`: header and one row per service, cells split. */
const statusTable = (lines: string[]) =>
  lines
    .slice(
      lines.findIndex((line) => /\| service +pid +state/.test(line)),
      -1,
    )
    .map((line) => line.replace(/^sf up +\| /, '').split(/ {2,}/));

describe('Ctrl-C in a terminal', () => {
  it('SIGINT to the whole process group: sf up alone stops the services, in reverse order, each draining, the table right', async () => {
    const file = await system('chain', {
      services: {
        caller: { service: fixture('python/caller.mjs'), main: true },
        relay: { service: fixture('stop/relay.mjs') },
        teller: { service: fixture('python/teller.mjs') },
      },
    });
    const sf = spawnSf(['up', file], ROOT, undefined, { detached: true });
    await sf.waitFor(/^caller +\| caller: asked 'round 2', got 'ROUND 2'$/);
    // As a terminal's Ctrl-C: the signal goes to every process of the foreground group.
    process.kill(-sf.child.pid!, 'SIGINT');
    expect(await sf.exited).toBe(0);

    const at = (pattern: RegExp) => sf.lines.findIndex((line) => pattern.test(line));
    const order = ['caller', 'relay', 'teller'];
    expect(sf.lines.filter((line) => /^sf up +\| stopping /.test(line)).map((line) => line.replace(/^.*stopping /, ''))).toEqual(order);
    for (const [index, name] of order.entries()) {
      const stopping = at(new RegExp(`^sf up +\\| stopping ${name}$`));
      const drained = at(new RegExp(`^${name} +\\| .*\\[${name}\\] stopping \\{"signal":"SIGINT"\\}`));
      const stopped = at(new RegExp(`^${name} +\\| .*\\[${name}\\] stopped ${name} `));
      // Each got the signal from sf up only, after the one started after it had stopped.
      expect(drained, sf.lines.join('\n')).toBeGreaterThan(stopping);
      expect(stopped).toBeGreaterThan(drained);
      const next = order[index + 1];
      if (next) expect(stopped).toBeLessThan(at(new RegExp(`^sf up +\\| stopping ${next}$`)));
    }
    expect(sf.lines.filter((line) => /second signal/.test(line))).toEqual([]);
    expect(statusTable(sf.lines).map((row) => [row[0], row[2]])).toEqual([
      ['service', 'state'],
      ['teller', 'stopped'],
      ['relay', 'stopped'],
      ['caller', 'stopped'],
    ]);
  });

  const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].some((path) => existsSync(path));
  it.runIf(PYTHON && setpriv)(
    'sf up killed with SIGKILL: a Python service that never reads its input still ends (parent-death signal)',
    async () => {
      const file = await system('sleepy', {
        services: {
          sleeper: {
            service: fixture('python/sleeper.py'),
            python: { interpreter: PYTHON, script: fixture('python/sleeper.py'), args: [], ready: 'up$' },
            interface: { connections: { out: { tell: 'requester' } } },
          },
          teller: { service: fixture('python/teller.mjs') },
        },
      });
      const sf = spawnSf(['up', file], ROOT, undefined, { detached: true });
      const [, pid] = await sf.waitFor(/^sf up +\| started sleeper \(pid (\d+)\)$/);
      await sf.waitFor(/^sf up +\| sleeper ready$/);
      sf.child.kill('SIGKILL');
      await sf.exited;
      for (let wait = 0; wait < 100 && isAlive(Number(pid)); wait += 1) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(isAlive(Number(pid))).toBe(false);
    },
  );
});

describe('config pairs and command lines', () => {
  it('passes extra pairs spelt like sf run flags as config (after a lone --)', async () => {
    const file = await system('pairs', {
      services: { configured: { service: fixture('stop/configured.mjs'), main: true, extra: { debug: 'yes', main: 'no', count: 3 } } },
    });
    const sf = spawnSf(['up', '--once', file]);
    expect(await sf.exited).toBe(0);
    expect(sf.lines).toContainEqual(expect.stringMatching(/^configured +\| configured: \{"debug":"yes","main":"no","count":3\}$/));
    expect(sf.lines.filter((line) => /restarting/.test(line))).toEqual([]);
  });

  it.runIf(PYTHON)('sf check refuses a pair a Python 0.0.3 service would read as its own flag, and log files for it', async () => {
    const python = { service: fixture('python/quoter.py'), python: { interpreter: PYTHON, script: PEER_003 }, interface: {} };
    const taken = await runSf(['check', await system('taken', { services: { quoter: { ...python, extra: { config: 'x' } } } })]);
    expect(taken.code).toBe(1);
    expect(taken.stderr + taken.stdout).toMatch(
      /services\.quoter\.extra\.config: Python 0\.0\.3 reads --config as its own flag --config_path/,
    );
    const logged = await runSf(['check', await system('logged', { services: { quoter: { ...python, log: { folder: 'logs' } } } })]);
    expect(logged.code).toBe(1);
    expect(logged.stderr + logged.stdout).toMatch(/services\.quoter\.log: a Python 0\.0\.3 service cannot log to files \(folder\)/);
    const fileLevel = await runSf([
      'check',
      await system('level', { services: { c: { service: fixture('stop/configured.mjs'), main: true, log: { file_level: 'info' } } } }),
    ]);
    expect(fileLevel.stderr + fileLevel.stdout).toMatch(/services\.c\.log: file_level only apply to log files, which need log\.folder/);
  });

  it.runIf(PYTHON)('a usage error (exit code 2) is reported once, not restarted', async () => {
    const file = await system('usage', {
      services: {
        quoter: {
          service: fixture('python/quoter.py'),
          python: { interpreter: PYTHON, script: PEER_003, args: ['--addresses_path'] },
          interface: {},
        },
      },
      restart: { backoff_ms: 50, max_backoff_ms: 100, max_restarts: 3 },
    });
    const sf = spawnSf(['up', file]);
    // Nothing is left to run, so sf up stops by itself.
    expect(await sf.exited).toBe(0);
    expect(sf.lines).toContainEqual(expect.stringMatching(/^sf up +\| quoter exited with code 2: .*a usage error .*; not restarting it$/));
    expect(sf.lines.filter((line) => /restarting in|started quoter/.test(line))).toHaveLength(1);
    expect(sf.lines).toContainEqual(expect.stringMatching(/^sf up +\| no service left running$/));
    expect(statusTable(sf.lines)[1]!.slice(0, 3)).toEqual(['quoter', expect.stringMatching(/^\d+$/), 'usage error']);
  });
});

describe('log settings per service', () => {
  it('passes console level, log folder, file level and backup count (-cl, -l, -f, -bc)', async () => {
    const file = await system('logs', {
      services: {
        caller: { service: fixture('python/caller.mjs'), main: true },
        relay: { service: fixture('stop/relay.mjs'), log: { console_level: 'debug', folder: 'logs', file_level: 'info', backup_count: 2 } },
        teller: { service: fixture('python/teller.mjs') },
      },
    });
    const sf = spawnSf(['up', file]);
    await sf.waitFor(/^caller +\| caller: asked 'round 2', got 'ROUND 2'$/);
    sf.child.kill('SIGINT');
    expect(await sf.exited).toBe(0);
    // Debug lines on the console of relay only (the default level is info) …
    expect(sf.lines.some((line) => /^relay +\| .* DEBUG: /.test(line))).toBe(true);
    expect(sf.lines.some((line) => /^(caller|teller) +\| .* DEBUG: /.test(line))).toBe(false);
    // … and JSON lines at info and above in its folder, relative to the system file.
    const folder = join(await dir, 'logs');
    const files = await readdir(folder);
    expect(files.filter((name) => name.startsWith('relay'))).toHaveLength(1);
    const levels = new Set(
      (await readFile(join(folder, files.find((name) => name.startsWith('relay'))!), 'utf8'))
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { level: number }).level),
    );
    expect(levels.has(30)).toBe(true);
    expect(levels.has(20)).toBe(false);
  });
});
