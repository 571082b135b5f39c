import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './sf-process.js';
import { TrackedProcess } from './tracked-process.js';

/** The folder of the Python 0.0.3 stand-in and its test service. */
export const PYTHON_DIR = join(REPO_ROOT, 'test/e2e/python');
/** The stand-in for `python -m service_framework` 0.0.3 (see its docstring). */
export const PEER_003 = join(PYTHON_DIR, 'peer_003.py');

/** The models argument of the peer: the seed's models by group, side and name. */
export type PythonModels = Partial<
  Record<'connections' | 'states', Partial<Record<'in' | 'out', Record<string, Record<string, unknown>>>>>
>;

/** One JSON line the peer printed: `event` plus its fields (values in marker form). */
export type PeerEvent = { event: string } & Record<string, unknown>;

/** A python3 that can `import zmq, msgpack` (Debian's python3-zmq and python3-msgpack), if any. */
export function pythonForPeer(): string | undefined {
  for (const candidate of ['python3', '/usr/bin/python3', '/usr/local/bin/python3']) {
    const probe = spawnSync(candidate, ['-c', 'import zmq, msgpack'], { encoding: 'utf8' });
    if (probe.status === 0) return candidate;
  }
  return undefined;
}

/**
 * A running 0.0.3 service: `wire_service.py` loaded by peer_003.py as 0.0.3 loads a service (its
 * folder as the working folder, `-s ./wire_service.py`); commands on its stdin, its JSON lines as events.
 */
export class PythonPeer extends TrackedProcess {
  /** Starts the peer with a seed addresses file (absolute path) and models; `main` selects the seed's main mode. */
  constructor(python: string, addresses: string, models: PythonModels, options: { main?: boolean; name?: string } = {}) {
    const args = [
      PEER_003,
      '-s',
      './wire_service.py',
      '-a',
      addresses,
      '--models',
      JSON.stringify(models),
      ...(options.main ? ['-m'] : []),
    ];
    super(python, args, { cwd: PYTHON_DIR, name: options.name ?? 'python peer', stdin: true });
    // A command written after the peer died fails the test through its missing events, not EPIPE.
    this.child.stdin!.on('error', () => {});
  }

  /** Every event printed so far. */
  events(event?: string): PeerEvent[] {
    const all = this.stdout.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as PeerEvent);
    return event === undefined ? all : all.filter((item) => item.event === event);
  }

  /** Resolves once `count` events of kind `event` (and matching `where`) were printed. */
  waitForEvents(event: string, count = 1, where: (item: PeerEvent) => boolean = () => true, timeoutMs = 15_000): Promise<PeerEvent[]> {
    const matching = () => this.events(event).filter(where);
    return this.waitFor(() => (matching().length >= count ? matching() : undefined), `${count} "${event}" events`, timeoutMs);
  }

  /** Waits until the peer's sockets are set up. */
  async ready(): Promise<void> {
    await this.waitForEvents('ready');
  }

  /** The seed's `to_send(type, name, args)`; `args` may hold marker maps (see {@link py}). */
  send(name: string, args: Record<string, unknown>, type: 'connection' | 'state' = 'connection'): void {
    this.child.stdin!.write(`${JSON.stringify({ op: 'send', type, name, args })}\n`);
  }

  /** Asks the peer to exit and resolves to its exit code. */
  async quit(): Promise<number | null> {
    this.child.stdin!.write(`${JSON.stringify({ op: 'exit' })}\n`);
    return this.exitCode();
  }
}

/** Marker maps of the values the peer turns into Python's Decimal, set and UUID (and prints back). */
export const py = {
  decimal: (text: string) => ({ __decimal__: true, as_str: text }),
  set: (items: unknown[]) => ({ __set__: true, value: items }),
  uuid: (text: string) => ({ __uuid__: true, as_str: text }),
};
