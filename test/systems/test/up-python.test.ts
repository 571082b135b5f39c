/**
 * `sf up` runs a mixed system: two TypeScript services (`sf run`) and a Python service written for
 * service_framework 0.0.3 (`fixtures/python/quoter.py`), loaded by the e2e suite's 0.0.3 stand-in
 * (`peer_003.py`) exactly as 0.0.3 loads it, wired by name. Needs Debian's python3 with python3-zmq and python3-msgpack;
 * without it the file is skipped with a notice, unless SF_REQUIRE_PYTHON=1 (CI) makes that a failure.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { PEER_003, PYTHON } from '../src/python.js';
import { ROOT, runSf } from '../src/run-sf.js';
import { isAlive, spawnSf, stopAll } from '../src/sf-process.js';

afterEach(stopAll);

const INSTALL = 'apt-get install -y python3-zmq python3-msgpack';
if (!PYTHON)
  console.warn(`sf up with a Python service: [SKIPPED: /usr/bin/python3 cannot import zmq and msgpack; install them with: ${INSTALL}]`);

describe.runIf(!PYTHON && process.env.SF_REQUIRE_PYTHON === '1')('sf up with a Python service (required: SF_REQUIRE_PYTHON=1)', () => {
  it('finds a python3 that can import zmq and msgpack', () => {
    expect.fail(`/usr/bin/python3 cannot import zmq and msgpack; install them with: ${INSTALL}`);
  });
});

const fixture = (name: string) => join(ROOT, 'test/systems/fixtures/python', name);

describe.skipIf(!PYTHON)('sf up with a Python 0.0.3 service', () => {
  const dir = mkdtemp(join(tmpdir(), 'sf-up-python-'));
  afterAll(async () => rm(await dir, { recursive: true, force: true }));

  const systemFile = async () => {
    const file = join(await dir, 'sf.system.json');
    // The 0.0.3 stand-in replaces `python -m service_framework`; sf up gives it 0.0.3's flags.
    const quoter = {
      service: fixture('quoter.py'),
      python: { interpreter: PYTHON, script: PEER_003, ready: '^\\{"event": "ready"' },
      log: { console_level: 'debug' },
      interface: { connections: { in: { ask: 'replyer' }, out: { tell: 'requester' } } },
    };
    await writeFile(
      file,
      JSON.stringify({
        name: 'mixed',
        services: { caller: { service: fixture('caller.mjs'), main: true }, quoter, teller: { service: fixture('teller.mjs') } },
      }),
    );
    return file;
  };

  it('the stand-in refuses an absolute -s path as 0.0.3 does (it imports the path as a module name)', () => {
    const run = spawnSync(PYTHON!, [PEER_003, '-s', fixture('quoter.py')], { cwd: fixture('.'), encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/TypeError: the 'package' argument is required to perform a relative import for '\.[^']*\.quoter'/);
    const relative = spawnSync(PYTHON!, [PEER_003, '-s', './quoter.py', '-cl', 'debug'], { cwd: fixture('.'), encoding: 'utf8' });
    expect(relative.stderr).toMatch(/ValueError: Unknown level: 'debug'/);
  });

  it('sf check wires the Python service by its interface', async () => {
    const result = await runSf(['check', await systemFile(), '--json']);
    const wires = JSON.parse(result.stdout).wires.map(
      (wire: { from: string; to: string; types: string[] }) => `${wire.from} -> ${wire.to} (${wire.types.join(' -> ')})`,
    );
    expect(wires).toEqual(['caller.ask -> quoter.ask (requester -> replyer)', 'quoter.tell -> teller.tell (requester -> replyer)']);
    expect(result.code).toBe(0);
  });

  it("starts both kinds in their folders, waits for the Python service's ready line, carries requests both ways; SIGINT stops all", async () => {
    const sf = spawnSf(['up', await systemFile()]);
    const [, tellerPid] = await sf.waitFor(/^sf up +\| started teller \(pid (\d+)\)$/);
    const [, quoterPid] = await sf.waitFor(/^sf up +\| started quoter \(pid (\d+)\)$/);
    const [, callerPid] = await sf.waitFor(/^sf up +\| started caller \(pid (\d+)\)$/);
    // TypeScript → Python → TypeScript and back: the caller's request reaches quoter.py, which asks the teller before it replies.
    await sf.waitFor(/^caller +\| caller: asked 'round 2', got 'ROUND 2'$/);
    expect(sf.lines).toContainEqual(expect.stringMatching(/^quoter +\| quoter: asked 'round 1', told 'ROUND 1'$/));
    expect(sf.lines).toContainEqual(expect.stringMatching(/^teller +\| teller: told 'round 1'$/));
    // 0.0.3's flags: -s relative to the service's folder, -cl as Python's level name.
    expect(sf.lines).toContainEqual(
      expect.stringMatching(
        /^quoter +\| Using Arguments: Namespace\(addresses_path='\/[^']+', .*service_path='\.\/quoter\.py', .*console_loglevel='DEBUG'/,
      ),
    );
    // Ready at its own line, not once started: the caller starts only after it.
    const at = (pattern: RegExp) => sf.lines.findIndex((line) => pattern.test(line));
    expect(at(/^quoter +\| \{"event": "ready"\}$/)).toBeGreaterThan(at(/\| started quoter /));
    expect(at(/^sf up +\| quoter ready$/)).toBeGreaterThan(at(/^quoter +\| \{"event": "ready"\}$/));
    expect(at(/\| started caller /)).toBeGreaterThan(at(/^sf up +\| quoter ready$/));

    sf.child.kill('SIGINT');
    expect(await sf.exited).toBe(0);
    const stops = sf.lines.filter((line) => /^sf up +\| stopping /.test(line)).map((line) => line.replace(/^.*stopping /, ''));
    expect(stops).toEqual(['caller', 'quoter', 'teller']);
    for (const pid of [tellerPid, quoterPid, callerPid]) expect(isAlive(Number(pid))).toBe(false);
    expect(sf.lines.at(-1)).toMatch(/^sf up +\| every service stopped$/);
  });
});
