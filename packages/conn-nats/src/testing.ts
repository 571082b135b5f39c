import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@sf/core/testing';
import { connect, type NatsConnection } from '@nats-io/transport-node';

/** The nats-server binary on PATH (or in /usr/sbin, /usr/bin), or undefined when none is installed. */
export function natsServerBinary(): string | undefined {
  for (const candidate of ['nats-server', '/usr/sbin/nats-server', '/usr/bin/nats-server']) {
    if (spawnSync(candidate, ['--version'], { encoding: 'utf8' }).status === 0) return candidate;
  }
  return undefined;
}

/**
 * Whether NATS tests can run here. Without nats-server they are skipped with a notice (the
 * returned suffix for the describe title), unless `SF_REQUIRE_NATS=1`, which makes it a failure.
 */
export function natsAvailability(): { binary: string | undefined; skip: string } {
  const binary = natsServerBinary();
  if (binary) return { binary, skip: '' };
  const notice = ' [SKIPPED: nats-server not found; install it with: apt-get install -y nats-server]';
  if (process.env.SF_REQUIRE_NATS === '1')
    throw new Error(`SF_REQUIRE_NATS=1 but nats-server is not installed (apt-get install -y nats-server)`);
  console.warn(`NATS tests:${notice}`);
  return { binary, skip: notice };
}

/** One nats-server of a test cluster. */
export interface NatsNode {
  readonly name: string;
  readonly url: string;
  process: ChildProcess | undefined;
}

/** A cluster of nats-servers with JetStream on loopback, ports chosen free, a temporary store each. */
export interface NatsCluster {
  readonly nodes: NatsNode[];
  /** Every node's URL, comma-separated (the `servers` creation argument). */
  readonly servers: string;
  /** Kills one node at once (SIGKILL); its store stays for `restart`. */
  kill(index: number): Promise<void>;
  /** Starts a killed node again with its store. */
  restart(index: number): Promise<void>;
  /** Kills every node and removes the stores. */
  stop(): Promise<void>;
}

/** Starts `size` nats-servers clustered together with JetStream, and waits until JetStream answers on every node. */
export async function startNatsCluster(binary: string, size = 3): Promise<NatsCluster> {
  const ports = await Promise.all(Array.from({ length: size }, async () => ({ client: await freePort(), route: await freePort() })));
  const store = mkdtempSync(join(tmpdir(), 'sf-nats-'));
  const routes = ports.map((port) => `nats://127.0.0.1:${port.route}`).join(',');
  const nodes: NatsNode[] = ports.map((port, n) => ({ name: `n${n}`, url: `nats://127.0.0.1:${port.client}`, process: undefined }));
  const args = (n: number) => {
    const port = ports[n]!;
    const cluster = size > 1 ? ['--cluster_name', 'sf', '--cluster', `nats://127.0.0.1:${port.route}`, '--routes', routes] : [];
    return ['-a', '127.0.0.1', '-p', String(port.client), '-n', nodes[n]!.name, '-js', '-sd', join(store, nodes[n]!.name), ...cluster];
  };
  const start = (n: number) => {
    const child = spawn(binary, args(n), { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-4000);
    });
    child.on('exit', (code, signal) => {
      if (code !== null && code !== 0) console.error(`nats-server ${nodes[n]!.name} exited with ${code ?? signal}:\n${log}`);
    });
    nodes[n]!.process = child;
  };
  const stopNode = async (n: number) => {
    const child = nodes[n]!.process;
    nodes[n]!.process = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };
  const cluster: NatsCluster = {
    nodes,
    servers: nodes.map((node) => node.url).join(','),
    kill: stopNode,
    restart: async (n) => {
      start(n);
      await untilJetStream(nodes[n]!.url);
    },
    stop: async () => {
      await Promise.all(nodes.map((_, n) => stopNode(n)));
      rmSync(store, { recursive: true, force: true });
    },
  };
  try {
    for (let n = 0; n < size; n++) start(n);
    for (const node of nodes) await untilJetStream(node.url);
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}

/** Waits (up to 60 s) until the server at `url` answers a JetStream account request (its cluster has a meta leader). */
async function untilJetStream(url: string): Promise<void> {
  const until = Date.now() + 60_000;
  let last: unknown;
  while (Date.now() < until) {
    let connection: NatsConnection | undefined;
    try {
      connection = await connect({ servers: url, timeout: 1000, reconnect: false });
      const reply = await connection.request('$JS.API.INFO', undefined, { timeout: 2000 });
      const info = JSON.parse(new TextDecoder().decode(reply.data)) as { error?: unknown };
      if (!info.error) return;
      last = info.error;
    } catch (error) {
      last = error;
    } finally {
      await connection?.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`nats-server at ${url} has no JetStream after 60 s: ${String((last as Error)?.message ?? JSON.stringify(last))}`);
}

/** One `sf run` child process: its output so far, and its exit code once it ended. */
export interface SfRunProcess {
  readonly child: ChildProcess;
  readonly output: string[];
  readonly exit: Promise<number | null>;
}

/** Starts `node <sfBin> run …args` in `cwd`, collecting stdout and stderr. */
export function sfRun(sfBin: string, cwd: string, args: readonly string[]): SfRunProcess {
  const child = spawn(process.execPath, [sfBin, 'run', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
  return { child, output, exit: new Promise((resolve) => child.on('close', resolve)) };
}
