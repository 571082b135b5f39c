import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SystemError } from '@sf/core';
import type { NatsPlan } from './nats-plan.js';

/** Longest wait for the servers to serve (and a cluster to elect its JetStream leader). */
const READY_MS = 30_000;
/** Longest wait for a server to exit after SIGTERM before SIGKILL. */
const STOP_GRACE_MS = 5_000;
const READY = /\bServer is ready\b/;
const LEADER = /JetStream cluster new metadata leader/;
const PROBLEM = /\[(ERR|FTL)\]/;
const FATAL = /\[FTL\]/;

/** The nats-servers `sf up` started for a system. */
export interface RunningNats {
  /** Process ids, in node order. */
  readonly pids: readonly number[];
  /** Stops every server (SIGTERM, then SIGKILL after a grace time) and removes their store. */
  stop(): Promise<void>;
}

/** The nats-server binary (on PATH, or Debian's /usr/sbin), or a SystemError saying how to install it. */
export function natsServerBinary(file: string): string {
  for (const candidate of ['nats-server', '/usr/sbin/nats-server', '/usr/bin/nats-server']) {
    if (spawnSync(candidate, ['--version']).status === 0) return candidate;
  }
  throw new SystemError('The system file asks for local NATS servers ("nats"), but nats-server is not installed', {
    file,
    hint:
      'Install it (apt-get install nats-server, or https://github.com/nats-io/nats-server/releases), ' +
      'or remove "nats" and give the NATS addresses yourself',
  });
}

/**
 * Starts the planned nats-servers with JetStream on (one temporary store folder each, a cluster
 * when there are several), and resolves once each serves and a cluster has its JetStream leader.
 * `log` gets their error lines; a server that exits early is an error.
 */
export async function startNats(plan: NatsPlan, binary: string, log: (name: string, line: string) => void): Promise<RunningNats> {
  const store = mkdtempSync(join(tmpdir(), 'sf-up-nats-'));
  const clustered = plan.nodes.length > 1;
  const routes = plan.nodes.map((node) => `nats://127.0.0.1:${node.route}`).join(',');
  let leader: () => void = () => {};
  const leaderElected = clustered ? new Promise<void>((resolve) => (leader = resolve)) : Promise.resolve();
  const children: ChildProcess[] = [];
  // While they start and stop, the servers' complaints about routes to each other are no news.
  let quiet = true;
  const ready = plan.nodes.map((node) => {
    const cluster = clustered ? ['--cluster_name', 'sf-up', '--cluster', `nats://127.0.0.1:${node.route}`, '--routes', routes] : [];
    const child = spawn(
      binary,
      ['-a', '127.0.0.1', '-p', String(node.client), '-n', node.name, '-js', '-sd', join(store, node.name), ...cluster],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    children.push(child);
    return new Promise<void>((resolve, reject) => {
      let lastProblem = '';
      createInterface({ input: child.stderr! }).on('line', (line) => {
        if (PROBLEM.test(line)) lastProblem = line;
        if (FATAL.test(line) || (PROBLEM.test(line) && !quiet)) log(node.name, line);
        if (LEADER.test(line)) leader();
        if (READY.test(line)) resolve();
      });
      child.once('exit', (code, signal) =>
        reject(
          new SystemError(
            `nats-server ${node.name} (port ${node.client}) ` +
              `exited with ${code ?? signal} while starting${lastProblem && `: ${lastProblem}`}`,
            { hint: 'Check that nothing else uses its ports and that nats-server runs by itself' },
          ),
        ),
      );
      child.once('error', reject);
    });
  });
  const running: RunningNats = {
    pids: children.map((child) => child.pid ?? 0),
    stop: async () => {
      quiet = true;
      await Promise.all(children.map(stopChild));
      rmSync(store, { recursive: true, force: true });
    },
  };
  try {
    await within(Promise.all(ready), 'serve');
    await within(leaderElected, 'elect a JetStream leader');
    quiet = false;
  } catch (error) {
    await running.stop();
    throw error;
  }
  return running;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new SystemError(`The local nats-servers did not ${what} within ${READY_MS / 1000} s`, {
            hint: 'Check that nats-server runs by itself (nats-server -js) and that the machine is not overloaded',
          }),
        ),
      READY_MS,
    );
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
