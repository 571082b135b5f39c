/** Microseconds on the machine's monotonic clock: comparable between processes on one machine (Linux CLOCK_MONOTONIC). */
export function nowUs(): number {
  return Number(process.hrtime.bigint()) / 1000;
}

/** Resolves after `ms` milliseconds (Node's promise timer). */
export { setTimeout as sleep } from 'node:timers/promises';

/** CPU time (user + system) this process used since `since` (a `process.cpuUsage()`), µs. */
export function cpuSinceUs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return used.user + used.system;
}
