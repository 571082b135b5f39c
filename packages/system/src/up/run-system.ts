import { availableParallelism } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createColors } from 'picocolors';
import { runOptions, type SystemAnalysis, type SystemProcess } from '../check/analyse-system.js';
import type { RestartPolicy, ServiceLog } from '../system-file/system-types.js';
import { pythonCommand, pythonLevel, pythonRun, withParentDeathSignal } from './python-command.js';
import { type Exit, type ProcessSpec, ServiceProcess } from './service-process.js';
import { startAll } from './start-all.js';
import { startOrder, startPrerequisites } from './start-order.js';
import { type ServiceStatus, statusTable } from './status-table.js';
import { LiveStatus } from './live-status.js';
import { natsServerBinary, type RunningNats, startNats } from '../nats/nats-servers.js';
import type { ListenAddress } from '@sf/core';
import { metricsEndpoints } from './metrics-ports.js';
import { LiveView } from './live/live-view.js';
import { type LiveServer, serveLivePage } from './live/live-server.js';
import { systemGraph } from '../graph/graph-model.js';
import { toSvg } from '../graph/svg.js';
import { describeEntry } from '../wires/entries.js';
import type { OtlpReceiver } from '@sf/tracing/collector';

/** How `sf up` runs a system. */
export interface UpOptions {
  /** `[node, sf bin]`: how to call `sf` for a JavaScript service. */
  readonly sf: readonly [string, ...string[]];
  /** Writes one line of output. */
  readonly output: (line: string) => void;
  /** Colour the service names (on a TTY). */
  readonly color: boolean;
  /** Stop the system once every main-mode service has finished (and half a second more, for messages in flight). */
  readonly once: boolean;
  /** Longest wait for a service to say it is ready (default 30 s). */
  readonly readyTimeoutMs?: number;
  /** How many services may be starting (spawned, not ready yet) at once (default: the CPU count, at least 2). */
  readonly startConcurrency?: number;
  /** Longest wait for a service to stop after SIGINT before SIGKILL (default 10 s). */
  readonly stopGraceMs?: number;
  /** On a terminal: draw a live status view below the log lines (redrawn every second; the table is also printed at the end). */
  readonly live?: { readonly write: (text: string) => void; readonly columns: () => number };
  /** The signals that stop the system (default SIGINT and SIGTERM on this process). */
  readonly signals?: readonly NodeJS.Signals[];
  /** Serve the live page here (`sf up --ui`): every JavaScript service then serves metrics, scraped each second. */
  readonly ui?: ListenAddress;
  /** Start only the processes placed on this host of the system's `hosts` (`sf up --host`); default: every process. */
  readonly host?: string;
}

const PALETTE = ['cyan', 'magenta', 'yellow', 'green', 'blue', 'red'] as const;
/** A service that ran this long has its crash count reset. */
const STABLE_MS = 10_000;
/** With `once`: the wait after the last main-mode service finished, so messages still in flight arrive. */
const ONCE_SETTLE_MS = 500;
/** The exit code of a usage error (sf run; Python's argparse too). */
const USAGE_EXIT_CODE = 2;
/** What `sf run` logs when a service serves. */
const READY_LINE = /\] ready\b/;

interface Slot extends ServiceStatus {
  readonly spec: ProcessSpec;
  /** The system's service name. */
  readonly service: string;
  /** Base URL of its metrics server, if it serves one. */
  readonly metricsUrl: string | undefined;
  readonly main: boolean;
  readonly colour: (text: string) => string;
  process?: ServiceProcess;
  crashes: number;
  finished: boolean;
}

/**
 * Runs an analysed system (its addresses files written): starts every service as its own process
 * in {@link startOrder}, each once the services it needs are ready ({@link startPrerequisites};
 * services that need nothing of each other start together, up to `startConcurrency` at once,
 * main-mode ones after every serving one); prefixes every line with the
 * service's name; restarts a crashed service with doubling back-off until `max_restarts` crashes
 * in a row (a crash loop, reported, the service left stopped); on SIGINT/SIGTERM (or, with
 * `once`, when every main-mode service has finished) stops them all in reverse order. The
 * system's local nats-servers (its `nats` entry) start first and stop last. A service that exits
 * with code 2 (a usage error) is not restarted; once no process is left to run, it stops. With
 * `host`, only the processes placed on that host start: start order and readiness are among them
 * alone, and a wire to a process on another host connects whenever that one comes (ZeroMQ
 * reconnects). Resolves to 0.
 */
export async function runSystem(analysis: SystemAnalysis, options: UpOptions): Promise<number> {
  const colors = createColors(options.color);
  const width = Math.max(6, ...analysis.services.map((service) => service.name.length + 3));
  let board: LiveStatus | undefined;
  const say = (name: string, colour: (text: string) => string, line: string) => {
    const text = `${colour(name.padEnd(width))} | ${line}`;
    if (board) board.log(text);
    else options.output(text);
  };
  const note = (line: string) => say('sf up', colors.bold, line);
  const local = analysis.processes.filter((process) => options.host === undefined || process.host === options.host);
  const tracing = analysis.system.spec.tracing;
  // `sf up --ui` collects the traces itself unless the system file sends them to a collector.
  const collector = options.ui !== undefined && tracing?.otlp === undefined ? await collectTraces() : undefined;
  const traceUrl = tracing?.otlp ?? collector?.url;
  const traceFlags = traceUrl === undefined ? [] : ['--otlp', traceUrl, '--trace-sampling', String(tracing?.sampling ?? 1)];
  const specs = await Promise.all(startOrder(analysis).map((name) => specsOf(analysis, name, local, options, traceFlags)));
  const slots = specs.flatMap((replicas, index) =>
    replicas.map(
      (spec): Slot => ({
        spec,
        service: spec.service,
        metricsUrl: spec.metricsUrl,
        main: analysis.system.spec.services[spec.service]!.main === true,
        crashes: 0,
        finished: false,
        colour: colors[PALETTE[index % PALETTE.length]!],
        state: 'starting',
        startedAt: Date.now(),
        restarts: 0,
      }),
    ),
  );
  if (options.host !== undefined) {
    const address = analysis.system.spec.hosts?.[options.host]?.address;
    note(`host ${options.host} (${address}): ${slots.length} of ${analysis.processes.length} processes run here`);
    if (slots.length === 0) return 0;
  }
  if (options.live) board = new LiveStatus(options.live.write, slots, options.live.columns);

  let stopping = false;
  let wake: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    wake = resolve;
  });
  const stop = () => {
    stopping = true;
    wake();
  };
  const signals = options.signals ?? ['SIGINT', 'SIGTERM'];
  for (const signal of signals) process.on(signal, stop);
  let nats: RunningNats | undefined;
  const killAll = () => {
    for (const slot of slots) slot.process?.child.kill('SIGKILL');
    for (const pid of nats?.pids ?? []) process.kill(pid, 'SIGKILL');
  };
  process.on('exit', killAll);

  /** Once no process is left and none will restart (finished, crash loop, usage error), nothing would ever end `sf up`: stop. */
  const stopIfNoneLeft = () => {
    if (stopping || !slots.every((slot) => slot.finished)) return;
    note('no service left running');
    stop();
  };

  const start = (slot: Slot): ServiceProcess => {
    const child = new ServiceProcess(slot.spec, (line) => say(slot.spec.name, slot.colour, line));
    slot.process = child;
    Object.assign(slot, { pid: child.child.pid, state: slot.main ? 'running' : 'starting', startedAt: Date.now() });
    note(`started ${slot.spec.name} (pid ${child.child.pid})`);
    if (!slot.main) {
      child.ready.then(() => {
        if (slot.process === child && slot.state === 'starting') slot.state = 'up';
        note(`${slot.spec.name} ready`);
      });
    }
    const stable = setTimeout(() => {
      slot.crashes = 0;
    }, STABLE_MS);
    child.exited.then((exit) => {
      clearTimeout(stable);
      if (stopping) {
        if (slot.process === child) slot.state = 'stopped';
        return;
      }
      if (slot.main && exit.code === 0) {
        slot.finished = true;
        slot.state = 'finished';
        note(`${slot.spec.name} finished`);
        if (options.once && slots.every((other) => !other.main || other.finished)) setTimeout(stop, ONCE_SETTLE_MS);
        else stopIfNoneLeft();
        return;
      }
      slot.crashes += 1;
      const policy = analysis.system.restart;
      const how = `${exitText(exit)}${child.lastError ? `: ${child.lastError}` : ''}`;
      slot.lastError = how;
      if (exit.code === USAGE_EXIT_CODE) {
        slot.state = 'usage error';
        slot.finished = true;
        note(
          colors.red(`${slot.spec.name} ${how}: a usage error (its command line is wrong), which a restart cannot fix; not restarting it`),
        );
        stopIfNoneLeft();
        return;
      }
      if (slot.crashes > policy.max_restarts) {
        slot.state = 'crash loop';
        note(colors.red(`crash loop: ${slot.spec.name} crashed ${slot.crashes} times in a row (${how}); not restarting it`));
        slot.finished = true;
        stopIfNoneLeft();
        return;
      }
      const wait = backoff(policy, slot.crashes);
      slot.state = 'restarting';
      note(colors.yellow(`${slot.spec.name} ${how}; restarting in ${wait} ms (crash ${slot.crashes} of ${policy.max_restarts} allowed)`));
      setTimeout(() => {
        if (stopping) return;
        slot.restarts += 1;
        start(slot);
      }, wait);
    });
    return child;
  };

  let view: LiveView | undefined;
  let page: LiveServer | undefined;
  try {
    if (options.ui) {
      view = new LiveView(analysis, slots);
      page = await serveLivePage(view, await toSvg(systemGraph(analysis)), options.ui, collector?.store);
      note(`live view at ${page.url}`);
    }
    if (analysis.nats) {
      const binary = natsServerBinary(analysis.system.file);
      nats = await startNats(analysis.nats, binary, (name, line) => say(name, colors.dim, line));
      note(
        `started ${analysis.nats.nodes.length === 1 ? 'nats-server' : `a cluster of ${analysis.nats.nodes.length} nats-servers`} ` +
          `at ${analysis.nats.addresses.join(', ')} (pid ${nats.pids.join(', ')})`,
      );
    }
    await startAll(slots, startPrerequisites(analysis), options.startConcurrency ?? Math.max(2, availableParallelism()), async (slot) => {
      if (stopping) return;
      const child = start(slot);
      if (slot.main) return;
      const outcome = await Promise.race([
        child.ready.then(() => 'ready'),
        child.exited.then(() => 'exited'),
        stopped.then(() => 'stopping'),
        sleep(options.readyTimeoutMs ?? 30_000, 'late', { ref: false }),
      ]);
      if (outcome === 'late')
        note(colors.yellow(`${slot.spec.name} is not ready after ${options.readyTimeoutMs ?? 30_000} ms; starting the others`));
    });
    // Entry points (the system file's `entries`): where callers from outside reach the system.
    for (const entry of analysis.entries) if (!stopping) note(`entry point ${describeEntry(entry)}`);
    await stopped;
  } finally {
    for (const slot of [...slots].reverse()) {
      if (slot.process === undefined || slot.process.child.exitCode !== null || slot.process.child.signalCode !== null) continue;
      note(`stopping ${slot.spec.name}`);
      await slot.process.stop('SIGINT', options.stopGraceMs ?? 10_000);
      slot.state = 'stopped';
    }
    if (nats) {
      note('stopping the nats-servers');
      await nats.stop();
    }
    for (const signal of signals) process.off(signal, stop);
    process.off('exit', killAll);
    board?.close();
    board = undefined;
    view?.close();
    await page?.close();
    await collector?.close();
  }
  for (const line of statusTable(slots, Date.now())) note(line);
  note('every service stopped');
  return 0;
}

/**
 * One process spec per replica. A JavaScript service: `sf run` in the system file's folder, with
 * its log flags, `--metrics` when it serves them, and the `extra` pairs after a lone `--`, where
 * sf run takes every pair as config (a key never collides with a flag). A Python one: its command
 * in the service file's folder with `-s ./<file>`, as 0.0.3 imports that path relative to the
 * working folder, and the pairs as `--key value` (sf check refused those 0.0.3 would misread).
 * Every process gets its own process group, so a terminal's Ctrl-C reaches only `sf up`, which
 * stops them in order.
 */
async function specsOf(
  analysis: SystemAnalysis,
  name: string,
  local: readonly SystemProcess[],
  options: UpOptions,
  traceFlags: readonly string[],
): Promise<ProcessSpec[]> {
  const spec = analysis.system.spec.services[name]!;
  const run = runOptions(analysis.system, name);
  const python = pythonRun(spec.python);
  const serviceFile = resolve(run.cwd, run.service);
  const service = python ? `./${basename(serviceFile)}` : serviceFile;
  const processes = local.filter((process) => process.service === name);
  const config = run.config === undefined ? undefined : resolve(run.cwd, run.config);
  const flags = ['-s', service];
  if (config !== undefined) flags.push('-c', config);
  if (run.mainMode) flags.push('-m');
  const level = spec.log?.console_level;
  if (level !== undefined) flags.push('-cl', python ? pythonLevel(level) : level);
  const pairs = Object.entries(run.extra).flatMap(([key, value]) => [`--${key}`, value]);
  const replicas = spec.replicas ?? 1;
  if (processes.length === 0) return [];
  const metrics = await metricsEndpoints(spec, replicas, options.ui !== undefined);
  if (python) {
    // A Python service's log format is its own: ready at its `ready` line, else once started.
    const ready = python.ready === undefined ? undefined : new RegExp(python.ready);
    return processes.map((process) => {
      const addresses = process.addressesFile;
      const command = pythonCommand(python, run.cwd, {
        service,
        addresses,
        name,
        flags: [...flags.slice(0, 2), '-a', addresses, ...flags.slice(2), ...pairs],
        ...(config !== undefined && { config }),
      });
      const guarded = withParentDeathSignal(command);
      return {
        name: process.name,
        service: name,
        command: guarded ?? command,
        cwd: dirname(serviceFile),
        detached: guarded !== undefined,
        ...(ready !== undefined && { isReady: (line: string) => ready.test(line) }),
      };
    });
  }
  return processes.map((process) => {
    const endpoint = metrics[process.replica - 1];
    const own = [...flags.slice(0, 2), '-a', process.addressesFile, ...flags.slice(2)];
    if (process.creationFile !== undefined) own.push('--creation', process.creationFile);
    own.push(...logFileFlags(spec.log, run.cwd, name, replicas > 1 ? process.replica : undefined));
    if (endpoint !== undefined) own.push('--metrics', endpoint.listen);
    own.push(...traceFlags);
    return {
      name: process.name,
      service: name,
      command: [...options.sf, 'run', ...own, ...(pairs.length > 0 ? ['--', ...pairs] : [])],
      cwd: run.cwd,
      detached: true,
      ...(endpoint !== undefined && { metricsUrl: endpoint.url }),
      isReady: (line: string) => READY_LINE.test(line),
    };
  });
}

/** The OTLP receiver of `sf up --ui` on a free loopback port (`@sf/tracing/collector`, loaded only with --ui). */
async function collectTraces(): Promise<OtlpReceiver> {
  const { receiveTraces } = await import('@sf/tracing/collector');
  return receiveTraces({ host: '127.0.0.1', port: 0 });
}

/** `-l <folder> [-f level] [-bc n]` of a service's `log` entry; replica n > 1 logs to `<folder>/<service>-<n>`. */
function logFileFlags(log: ServiceLog | undefined, dir: string, name: string, replica: number | undefined): string[] {
  if (log?.folder === undefined) return [];
  const folder = resolve(dir, log.folder);
  const flags = ['-l', replica === undefined ? folder : join(folder, `${name}-${replica}`)];
  if (log.file_level !== undefined) flags.push('-f', log.file_level);
  if (log.backup_count !== undefined) flags.push('-bc', String(log.backup_count));
  return flags;
}

function backoff(policy: RestartPolicy, crashes: number): number {
  return Math.min(policy.backoff_ms * 2 ** (crashes - 1), policy.max_backoff_ms);
}

function exitText(exit: Exit): string {
  return exit.signal === null ? `exited with code ${exit.code}` : `was killed by ${exit.signal}`;
}
