// @ts-check
// The raw counterparts are plain .mjs so they run on bare `node`: a TypeScript loader would add
// about 0.25 s of CPU and 25 MB to every raw process and skew the start-up and memory baseline.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { context } from 'zeromq';

/**
 * The `--key value` pairs of the command line.
 * @returns {Record<string, string>}
 */
export function parseArgs() {
  /** @type {Record<string, string>} */
  const args = {};
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i];
    const value = argv[i + 1];
    if (key === undefined || !key.startsWith('--') || value === undefined)
      throw new Error(`expected --key value pairs, got ${argv.join(' ')}`);
    args[key.slice(2)] = value;
  }
  return args;
}

/**
 * The bytes of a frame file written by the harness.
 * @param {string} file
 * @returns {Buffer}
 */
export function readFrame(file) {
  return readFileSync(file);
}

/**
 * Writes `data` as JSON through a temporary file, as the framework fixtures do.
 * @param {string} file
 * @param {unknown} data
 */
export function writeResult(file, data) {
  writeFileSync(`${file}.tmp`, JSON.stringify(data));
  renameSync(`${file}.tmp`, file);
}

/**
 * CPU time (user + system) used since `since`, µs.
 * @param {NodeJS.CpuUsage} since
 */
export function cpuSinceUs(since) {
  const used = process.cpuUsage(since);
  return used.user + used.system;
}

/** Microseconds on the machine's monotonic clock. */
export function nowUs() {
  return Number(process.hrtime.bigint()) / 1000;
}

/** @param {number} ms */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Closes `sockets` and exits 0 on SIGINT/SIGTERM, as `sf run` does, after `beforeExit` if given.
 * @param {import('zeromq').Socket[]} sockets
 * @param {() => void} [beforeExit]
 */
export function exitOnSignal(sockets, beforeExit) {
  const stop = () => {
    beforeExit?.();
    for (const socket of sockets) socket.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/**
 * A subscriber's tally: call it once per message (with the message's one-way latency when
 * measured). Writes `{received, first_ms, last_ms, cpu_us, latencies_us}` to `out` once `expected`
 * arrived or nothing arrived for `idleMs`; `cpu_us` counts from the first message on.
 * @param {{ expected: number, idleMs: number, out: string }} options
 * @returns {(latencyUs?: number) => void}
 */
export function arrivalCounter({ expected, idleMs, out }) {
  let received = 0;
  let firstMs = 0;
  let lastMs = 0;
  /** @type {NodeJS.CpuUsage | undefined} */
  let cpuAtFirst;
  /** @type {number[]} */
  const latencies = [];
  /** @type {NodeJS.Timeout | undefined} */
  let watch;
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    clearInterval(watch);
    const cpuUs = cpuAtFirst ? cpuSinceUs(cpuAtFirst) : 0;
    writeResult(out, { received, first_ms: firstMs, last_ms: lastMs, cpu_us: cpuUs, latencies_us: latencies });
  };
  return (latencyUs) => {
    const now = performance.now();
    if (latencyUs !== undefined) latencies.push(latencyUs);
    if (received === 0) {
      cpuAtFirst = process.cpuUsage();
      firstMs = now;
      watch = setInterval(() => performance.now() - lastMs > idleMs && finish(), 20);
    }
    received += 1;
    lastMs = now;
    if (received >= expected) finish();
  };
}

/**
 * Gives the raw side the ZeroMQ context setting the framework applies (zmq-base's
 * context-options.ts: ZMQ_ZERO_COPY_RECV, option 10, off), so both columns run the same libzmq.
 */
export function frameworkContextOptions() {
  /** @type {any} */ (context).setBoolOption(10, false);
}
