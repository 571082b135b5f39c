/**
 * `sf up` runs a mixed system: two TypeScript services (`sf run`) and the Python 0.0.3 wire peer
 * of the e2e suite, wired by name. Needs Debian's python3 with python3-zmq and python3-msgpack;
 * without it the file is skipped with a notice, unless SF_REQUIRE_PYTHON=1 (CI) makes that a failure.
 */
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
  console.warn(`sf up with a Python peer: [SKIPPED: /usr/bin/python3 cannot import zmq and msgpack; install them with: ${INSTALL}]`);

describe.runIf(!PYTHON && process.env.SF_REQUIRE_PYTHON === '1')('sf up with a Python peer (required: SF_REQUIRE_PYTHON=1)', () => {
  it('finds a python3 that can import zmq and msgpack', () => {
    expect.fail(`/usr/bin/python3 cannot import zmq and msgpack; install them with: ${INSTALL}`);
  });
});

const fixture = (name: string) => join(ROOT, 'test/systems/fixtures/python', name);
/** The peer's models (its own format, see its docstring): a replyer `ask` that first calls `tell` with the same args. */
const PEER_MODELS = {
  connections: { in: { ask: { connection_type: 'replyer', forward: { to: 'tell' } } }, out: { tell: { connection_type: 'requester' } } },
};

describe.skipIf(!PYTHON)('sf up with a Python 0.0.3 peer', () => {
  const dir = mkdtemp(join(tmpdir(), 'sf-up-python-'));
  afterAll(async () => rm(await dir, { recursive: true, force: true }));

  const systemFile = async () => {
    const file = join(await dir, 'sf.system.json');
    const peer = {
      service: PEER_003,
      python: {
        interpreter: PYTHON,
        script: PEER_003,
        args: ['--addresses', '{addresses}', '--models', JSON.stringify(PEER_MODELS)],
        ready: '^\\{"event": "ready"',
      },
      interface: { connections: { in: { ask: 'replyer' }, out: { tell: 'requester' } } },
    };
    await writeFile(
      file,
      JSON.stringify({
        name: 'mixed',
        services: { caller: { service: fixture('caller.mjs'), main: true }, peer, teller: { service: fixture('teller.mjs') } },
      }),
    );
    return file;
  };

  it('sf check wires the Python service by its interface', async () => {
    const result = await runSf(['check', await systemFile(), '--json']);
    const wires = JSON.parse(result.stdout).wires.map(
      (wire: { from: string; to: string; types: string[] }) => `${wire.from} -> ${wire.to} (${wire.types.join(' -> ')})`,
    );
    expect(wires).toEqual(['caller.ask -> peer.ask (requester -> replyer)', 'peer.tell -> teller.tell (requester -> replyer)']);
    expect(result.code).toBe(0);
  });

  it("starts both kinds, waits for the peer's ready line, carries requests both ways; SIGINT stops all, nothing left behind", async () => {
    const sf = spawnSf(['up', await systemFile()]);
    const [, tellerPid] = await sf.waitFor(/^sf up +\| started teller \(pid (\d+)\)$/);
    const [, peerPid] = await sf.waitFor(/^sf up +\| started peer \(pid (\d+)\)$/);
    const [, callerPid] = await sf.waitFor(/^sf up +\| started caller \(pid (\d+)\)$/);
    // TypeScript → Python → TypeScript: the caller's request reaches the peer, which calls the teller before it replies.
    await sf.waitFor(/^caller +\| caller: asked 'round 2', got 'round 2'$/);
    expect(sf.lines).toContainEqual(expect.stringMatching(/^peer +\| \{"event": "received", "name": "ask", "args": \{"text": "round 1"\}/));
    expect(sf.lines).toContainEqual(expect.stringMatching(/^teller +\| teller: told 'round 1'$/));
    expect(sf.lines).toContainEqual(
      expect.stringMatching(/^peer +\| \{"event": "reply", "name": "tell", "return_args": \{"text": "ROUND 1"\}/),
    );
    // Ready at its own line, not once started: the caller starts only after it.
    const at = (pattern: RegExp) => sf.lines.findIndex((line) => pattern.test(line));
    expect(at(/^peer +\| \{"event": "ready"\}$/)).toBeGreaterThan(at(/\| started peer /));
    expect(at(/^sf up +\| peer ready$/)).toBeGreaterThan(at(/^peer +\| \{"event": "ready"\}$/));
    expect(at(/\| started caller /)).toBeGreaterThan(at(/^sf up +\| peer ready$/));

    sf.child.kill('SIGINT');
    expect(await sf.exited).toBe(0);
    const stops = sf.lines.filter((line) => /^sf up +\| stopping /.test(line)).map((line) => line.replace(/^.*stopping /, ''));
    expect(stops).toEqual(['caller', 'peer', 'teller']);
    for (const pid of [tellerPid, peerPid, callerPid]) expect(isAlive(Number(pid))).toBe(false);
    expect(sf.lines.at(-1)).toMatch(/^sf up +\| every service stopped$/);
  });
});
