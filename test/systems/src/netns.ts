/**
 * A multi-host test harness on Linux network namespaces (root only; see test/systems/README.md).
 *
 * `Hosts.create(['a', 'b', 'c'])` makes one namespace per host plus a "switch" namespace holding a
 * bridge; each host is joined to the bridge by a veth pair (`eth0` in the host, `p-<host>` on the
 * bridge) and gets its own address on a private /24 (`10.77.<n>.<i>`; `lo` is up too). Processes are
 * started inside a host with `exec` / `sf` / `sfRun` (`ip netns exec <ns> …`), tracked like every
 * other test process of `@sf/e2e`, and killed by `reset()` / `remove()`. `linkDown(host)` pulls the
 * host's cable (its switch port goes down), `capture(host)` records the host's link with tcpdump.
 * Nothing leaves the namespaces: they have no route to the machine's own network.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAlive, SF_BIN, SfProcess, TrackedProcess } from '@sf/e2e';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

/** Every namespace of this harness is named `sf-t<pid>-<set>-<host>`; a crashed run's are removed by the next. */
const PREFIX = 'sf-t';
/** The switch's namespace suffix (so no host may be called that). */
const SWITCH = 'sw';
/** `ip netns exec <ns>` bind-mounts the files of /etc/netns/<ns>/ over /etc/ (here: `hosts`). */
const ETC_NETNS = '/etc/netns';
/** How long `killAll` waits for a host's processes to be gone. */
const KILL_WAIT_MS = 5000;

/** Runs `ip <args>`; returns its stdout, throws with its stderr when it fails. */
export function ip(args: readonly string[]): string {
  const result = spawnSync('ip', args, { encoding: 'utf8' });
  if (result.error) throw new Error(`ip ${args.join(' ')}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`ip ${args.join(' ')} failed (exit ${result.status}): ${result.stderr.trim()}`);
  return result.stdout;
}

/** Names of every network namespace on the machine. */
function namespaces(): string[] {
  return ip(['netns', 'list'])
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name !== '');
}

/** Pids of every process inside namespace `ns`. */
export function pidsIn(ns: string): number[] {
  return ip(['netns', 'pids', ns])
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map(Number);
}

/** SIGKILLs every process in `ns` and deletes it; ignores what is already gone (for exit handlers and leftovers). */
function destroyNamespace(ns: string): void {
  try {
    for (const pid of pidsIn(ns)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
    }
    ip(['netns', 'del', ns]);
  } catch {}
  rmSync(`${ETC_NETNS}/${ns}`, { recursive: true, force: true });
  try {
    rmdirSync(ETC_NETNS); // only when empty: it is there for our files alone on most machines
  } catch {}
}

/** Removes the namespaces of earlier runs of this harness whose process is gone (a crash or a kill -9). */
export function removeLeftovers(): string[] {
  const removed = namespaces().filter((ns) => {
    const pid = ns.match(/^sf-t(\d+)-/)?.[1];
    return pid !== undefined && Number(pid) !== process.pid && !isAlive(Number(pid));
  });
  for (const ns of removed) destroyNamespace(ns);
  return removed;
}

let missing: string | undefined | null = null;

/** Why network namespaces cannot be used here (not root, no iproute2, no netns or veth), or undefined when they can. */
export function netnsMissing(): string | undefined {
  if (missing !== null) return missing;
  missing = undefined;
  if (process.platform !== 'linux') missing = 'network namespaces need Linux';
  else if (process.getuid?.() !== 0) missing = 'network namespaces need root (run the tests as root, as CI does)';
  else if (spawnSync('ip', ['-V']).error) missing = 'the ip command is not installed: apt-get install -y iproute2';
  else {
    const probe = `${PREFIX}${process.pid}-probe`;
    try {
      ip(['netns', 'add', probe]);
      ip(['-n', probe, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1']);
    } catch (error) {
      missing = `ip netns cannot be used here: ${(error as Error).message}`;
    } finally {
      destroyNamespace(probe);
    }
  }
  return missing;
}

/** Why `capture` cannot work here (no tcpdump), or undefined when it can. */
export function tcpdumpMissing(): string | undefined {
  return spawnSync('tcpdump', ['--version']).error ? 'tcpdump is not installed: apt-get install -y tcpdump' : undefined;
}

/** Whether network namespaces (and, with `capture`, tcpdump) can be used here. */
export function netnsAvailable(options: { capture?: boolean } = {}): boolean {
  return (netnsMissing() ?? (options.capture ? tcpdumpMissing() : undefined)) === undefined;
}

/**
 * `describe` for tests that need namespaces (and, with `capture`, tcpdump): without them the block is
 * skipped with a notice, unless `SF_REQUIRE_NETNS=1` (CI), which turns that into a failing test.
 */
export function describeNetns(title: string, body: () => void, options: { capture?: boolean } = {}): void {
  const why = netnsMissing() ?? (options.capture ? tcpdumpMissing() : undefined);
  if (why === undefined) {
    describe(title, body);
    return;
  }
  console.warn(`${title}: [SKIPPED: ${why}]`);
  if (process.env.SF_REQUIRE_NETNS === '1') {
    describe(`${title} (required: SF_REQUIRE_NETNS=1)`, () => it('can create network namespaces', () => expect.fail(why)));
  } else describe.skip(title, body);
}

/** Options of {@link Hosts.exec}. */
export interface ExecOptions {
  /** Working folder (default: this process's). */
  cwd?: string;
  /** A name for failure messages (default: the command); shown as `<host>: <name>`. */
  name?: string;
  /** Keep a pipe to the process's stdin. */
  stdin?: boolean;
}

/** A tcpdump recording of one host's link, started by {@link Hosts.capture}. */
export class Capture {
  readonly #child: ChildProcess;
  readonly #chunks: Buffer[] = [];
  #stderr = '';
  readonly #closed: Promise<void>;

  /** Starts tcpdump in namespace `ns` on interface `iface`; use {@link Capture.start}. */
  private constructor(ns: string, iface: string) {
    // Packets to stdout as they come (-U --immediate-mode): no file, so tcpdump's dropped privileges do not matter.
    this.#child = spawn('ip', ['netns', 'exec', ns, 'tcpdump', '-i', iface, '-n', '-U', '--immediate-mode', '-w', '-'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child.stdout!.on('data', (chunk: Buffer) => this.#chunks.push(chunk));
    this.#child.stderr!.on('data', (chunk: Buffer) => {
      this.#stderr += chunk.toString('utf8');
    });
    this.#closed = new Promise((resolve) => this.#child.once('close', () => resolve()));
  }

  /** Starts a capture and resolves once tcpdump listens; rejects with tcpdump's stderr if it fails. */
  static async start(ns: string, iface: string, timeoutMs = 5000): Promise<Capture> {
    const capture = new Capture(ns, iface);
    const listening = new Promise<boolean>((resolve) => {
      const check = () => capture.#stderr.includes('listening on') && resolve(true);
      capture.#child.stderr!.on('data', check);
      capture.#child.once('error', () => resolve(false));
      void capture.#closed.then(() => resolve(false));
      setTimeout(() => resolve(false), timeoutMs).unref();
    });
    if (!(await listening)) {
      await capture.stop();
      throw new Error(`tcpdump on ${iface} in ${ns} did not start: ${capture.#stderr.trim() || 'no output'}`);
    }
    return capture;
  }

  /** The pcap bytes recorded so far. */
  get bytes(): Buffer {
    return Buffer.concat(this.#chunks);
  }

  /** Stops tcpdump (it flushes what it holds) and resolves to the whole pcap file's bytes; safe twice. */
  async stop(): Promise<Buffer> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGINT');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 5000);
    await this.#closed;
    clearTimeout(timer);
    return this.bytes;
  }

  /** Whether the recording holds `text` (UTF-8) anywhere, e.g. a marker sent in a payload. */
  holds(text: string): boolean {
    return this.bytes.includes(Buffer.from(text, 'utf8'));
  }
}

const live = new Set<Hosts>();
let sets = 0;
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Removes every live set of hosts now (on exit, or on a signal that would end the process without an exit event). */
function removeLive(): void {
  for (const hosts of live) hosts.removeNow();
}

/** On a deadly signal while hosts exist: remove them, then let the signal end the process as it would have. */
function onSignal(signal: NodeJS.Signals): void {
  removeLive();
  unwatch();
  process.kill(process.pid, signal);
}

/** Watches exit and deadly signals while hosts exist (only then: a signal handler changes what the signal does). */
function watch(): void {
  if (live.size > 0) return;
  process.on('exit', removeLive);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function unwatch(): void {
  process.off('exit', removeLive);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

/** Hosts as network namespaces on one switch; see the file's comment. */
export class Hosts {
  /** The host names, in the order given. */
  readonly names: readonly string[];
  /** The hosts' /24, e.g. `10.77.42.0/24`. */
  readonly subnet: string;
  readonly #prefix: string;
  readonly #net: string;
  readonly #procs = new Map<string, TrackedProcess[]>();
  readonly #captures = new Set<Capture>();
  readonly #started: TrackedProcess[] = [];
  #removed = false;

  private constructor(names: readonly string[]) {
    sets += 1;
    // Each run has its own switch, so subnets never meet; the pid keeps them apart anyway, for humans reading `ip`.
    this.#net = `10.77.${((process.pid + sets) % 254) + 1}`;
    this.subnet = `${this.#net}.0/24`;
    this.#prefix = `${PREFIX}${process.pid}-${sets}`;
    this.names = names;
  }

  /**
   * Creates the namespaces, switch and links of hosts `names` (lowercase, up to 8 letters or digits
   * each). With `hostNames`, every host resolves each host's name to its address (an /etc/hosts of
   * its own: `a` → `10.77.<n>.1`, …), so a system file or addresses file can name hosts instead of addresses.
   */
  static create(names: readonly string[], options: { hostNames?: boolean } = {}): Hosts {
    const why = netnsMissing();
    if (why !== undefined) throw new Error(why);
    if (names.length === 0 || names.length > 250) throw new Error(`Hosts.create: give 1 to 250 host names, not ${names.length}`);
    for (const name of names) {
      if (!/^[a-z][a-z0-9]{0,7}$/.test(name) || name === SWITCH) {
        throw new Error(
          `Hosts.create: host name '${name}' must be 1-8 lowercase letters or digits, starting with a letter, not '${SWITCH}'`,
        );
      }
    }
    if (new Set(names).size !== names.length) throw new Error(`Hosts.create: host names repeat: ${names.join(', ')}`);
    removeLeftovers();
    const hosts = new Hosts(names);
    watch();
    live.add(hosts);
    try {
      hosts.#build();
      if (options.hostNames) hosts.#writeHostsFiles();
    } catch (error) {
      hosts.removeNow();
      throw error;
    }
    return hosts;
  }

  #build(): void {
    const sw = this.#ns(SWITCH);
    ip(['netns', 'add', sw]);
    ip(['-n', sw, 'link', 'add', 'br0', 'type', 'bridge']);
    ip(['-n', sw, 'link', 'set', 'br0', 'up']);
    for (const name of this.names) {
      const ns = this.namespace(name);
      ip(['netns', 'add', ns]);
      ip(['-n', ns, 'link', 'set', 'lo', 'up']);
      ip(['-n', sw, 'link', 'add', `p-${name}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
      ip(['-n', sw, 'link', 'set', `p-${name}`, 'master', 'br0']);
      ip(['-n', sw, 'link', 'set', `p-${name}`, 'up']);
      ip(['-n', ns, 'addr', 'add', `${this.address(name)}/24`, 'dev', 'eth0']);
      ip(['-n', ns, 'link', 'set', 'eth0', 'up']);
      this.#procs.set(name, []);
    }
  }

  #writeHostsFiles(): void {
    const lines = ['127.0.0.1 localhost', '::1 localhost ip6-localhost', ...this.names.map((name) => `${this.address(name)} ${name}`)];
    for (const name of this.names) {
      const dir = `${ETC_NETNS}/${this.namespace(name)}`;
      mkdirSync(dir, { recursive: true });
      writeFileSync(`${dir}/hosts`, `${lines.join('\n')}\n`);
    }
  }

  #ns(suffix: string): string {
    return `${this.#prefix}-${suffix}`;
  }

  #check(host: string): void {
    if (this.#removed) throw new Error('these hosts were removed');
    if (!this.names.includes(host)) throw new Error(`no host '${host}'; the hosts are ${this.names.join(', ')}`);
  }

  /** The namespace of `host` (for `ip -n <ns> …` or `ip netns exec <ns> …`). */
  namespace(host: string): string {
    if (!this.names.includes(host)) throw new Error(`no host '${host}'; the hosts are ${this.names.join(', ')}`);
    return this.#ns(host);
  }

  /** The IPv4 address of `host` on the switch: `10.77.<n>.<1 + its index>`. */
  address(host: string): string {
    this.namespace(host);
    return `${this.#net}.${this.names.indexOf(host) + 1}`;
  }

  /** Starts `command args` inside `host` (its own process group), tracked until `killAll`, `reset` or `remove`. */
  exec(host: string, command: string, args: readonly string[], options: ExecOptions = {}): TrackedProcess {
    this.#check(host);
    const proc = new TrackedProcess('ip', ['netns', 'exec', this.namespace(host), command, ...args], {
      cwd: options.cwd ?? process.cwd(),
      name: `${host}: ${options.name ?? command}`,
      stdin: options.stdin,
      group: true,
    });
    this.#procs.get(host)!.push(proc);
    this.#started.push(proc);
    return proc;
  }

  /** Starts the repository's `sf <argv>` (e.g. `['up', '--host', 'a']`) inside `host`. */
  sf(host: string, argv: readonly string[], options: ExecOptions = {}): TrackedProcess {
    return this.exec(host, process.execPath, [SF_BIN, ...argv], { ...options, name: options.name ?? `sf ${argv[0] ?? ''}` });
  }

  /** Starts `sf run <args>` inside `host`; the result's `ready()` waits for its ready line. */
  sfRun(host: string, args: readonly string[], options: { cwd?: string; name?: string } = {}): SfProcess {
    this.#check(host);
    const service = args[args.indexOf('-s') + 1] ?? 'sf run';
    const proc = new SfProcess(args, {
      cwd: options.cwd ?? process.cwd(),
      name: `${host}: ${options.name ?? service}`,
      command: ['ip', 'netns', 'exec', this.namespace(host), process.execPath, SF_BIN],
    });
    this.#procs.get(host)!.push(proc);
    this.#started.push(proc);
    return proc;
  }

  /** Runs `command args` inside `host` to its end (e.g. `ss -ltn`); returns stdout, throws with stderr on failure. */
  run(host: string, command: string, args: readonly string[]): string {
    this.#check(host);
    const result = spawnSync('ip', ['netns', 'exec', this.namespace(host), command, ...args], { encoding: 'utf8', timeout: 30_000 });
    if (result.error || result.status !== 0) {
      throw new Error(
        `${command} ${args.join(' ')} on ${host} failed (${result.error?.message ?? `exit ${result.status}`}): ${result.stderr}`,
      );
    }
    return result.stdout;
  }

  /**
   * Opens a TCP connection from `host` to `address:port` and closes it: `'open'`, `'refused'` (nothing
   * listens there for this host), `'timeout'` (no answer within `timeoutMs`), or another error code.
   */
  async tcpProbe(host: string, address: string, port: number, timeoutMs = 1000): Promise<string> {
    const script = `const s = require('node:net').connect(${port}, ${JSON.stringify(address)});
      const end = (r) => { console.log(r); s.destroy(); process.exit(0); };
      s.on('connect', () => end('open')); s.on('error', (e) => end(e.code === 'ECONNREFUSED' ? 'refused' : e.code));
      setTimeout(() => end('timeout'), ${timeoutMs});`;
    const probe = this.exec(host, process.execPath, ['-e', script], { name: `tcp probe ${address}:${port}` });
    await probe.exitCode(timeoutMs + 10_000);
    return probe.stdout.join('').trim();
  }

  /** Pids of the processes started here (by `exec`, `sf`, `sfRun`) that still run: none after `reset` or `remove`. */
  alivePids(): number[] {
    return this.#started.filter((proc) => proc.alive).map((proc) => proc.child.pid ?? -1);
  }

  /** Pulls `host`'s cable: its switch port goes down (the host keeps its address; its packets go nowhere). */
  linkDown(host: string): void {
    this.#check(host);
    ip(['-n', this.#ns(SWITCH), 'link', 'set', `p-${host}`, 'down']);
  }

  /** Plugs `host`'s cable back in. */
  linkUp(host: string): void {
    this.#check(host);
    ip(['-n', this.#ns(SWITCH), 'link', 'set', `p-${host}`, 'up']);
  }

  /**
   * SIGKILLs every process on `host` (each started one's process group, and anything else inside
   * its namespace, e.g. the services an `sf up` started) and resolves, once all are gone, to how many there were.
   */
  async killAll(host: string): Promise<number> {
    this.#check(host);
    const ns = this.namespace(host);
    const killed = new Set<number>();
    const deadline = Date.now() + KILL_WAIT_MS;
    for (;;) {
      const pids = pidsIn(ns);
      if (pids.length === 0) break;
      if (Date.now() > deadline) throw new Error(`processes still alive on ${host} after SIGKILL: ${pids.join(', ')}`);
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
          killed.add(pid);
        } catch {}
      }
      await sleep(20);
    }
    const procs = this.#procs.get(host)!.splice(0);
    await Promise.all(procs.map((proc) => proc.kill()));
    for (const proc of procs) if (proc.child.pid !== undefined) killed.add(proc.child.pid);
    return killed.size;
  }

  /** Starts recording `host`'s link (its switch port, so killing the host's processes does not stop it). */
  async capture(host: string): Promise<Capture> {
    this.#check(host);
    const why = tcpdumpMissing();
    if (why !== undefined) throw new Error(why);
    const capture = await Capture.start(this.#ns(SWITCH), `p-${host}`);
    this.#captures.add(capture);
    return capture;
  }

  /** Back to a clean start between tests: every process killed, every capture stopped, every link up. */
  async reset(): Promise<void> {
    if (this.#removed) return;
    for (const name of this.names) await this.killAll(name);
    await Promise.all([...this.#captures].map((capture) => capture.stop()));
    this.#captures.clear();
    for (const name of this.names) this.linkUp(name);
  }

  /** Kills everything on the hosts and deletes the namespaces (links go with them); safe twice. */
  async remove(): Promise<void> {
    if (this.#removed) return;
    try {
      await this.reset();
    } finally {
      this.removeNow();
    }
  }

  /** {@link remove} without waiting, for exit handlers: SIGKILL and delete. */
  removeNow(): void {
    this.#removed = true;
    if (live.delete(this) && live.size === 0) unwatch();
    for (const capture of this.#captures) void capture.stop();
    for (const name of this.names) destroyNamespace(this.#ns(name));
    destroyNamespace(this.#ns(SWITCH));
  }
}

/**
 * Registers a test file's hosts: created before its tests, `reset()` after each test (processes
 * killed, captures stopped, links up), removed after the file with a check that no process is left.
 * Call inside a {@link describeNetns} block; the returned function gives the hosts.
 */
export function useHosts(names: readonly string[], options: { hostNames?: boolean } = {}): () => Hosts {
  let hosts: Hosts | undefined;
  beforeAll(() => {
    hosts = Hosts.create(names, options);
  });
  afterEach(async () => hosts?.reset());
  afterAll(async () => {
    if (hosts === undefined) return;
    const namespaces = names.map((name) => hosts!.namespace(name));
    await hosts.remove();
    expect(hosts.alivePids()).toEqual([]);
    expect(namespaces.filter((ns) => namespacesNow().includes(ns))).toEqual([]);
  });
  return () => {
    if (hosts === undefined) throw new Error('the hosts exist only inside the tests (after beforeAll)');
    return hosts;
  };
}

/** Names of the network namespaces that exist now. */
export function namespacesNow(): string[] {
  return namespaces();
}
