// @ts-check
// Raw counterpart of services/bench-subscriber.ts: a zeromq.js Subscriber counting frames.
// With --busy_us N it first spins N µs per frame: how much any per-message work costs this pipeline.
import { Subscriber } from 'zeromq';
import { cpuSinceUs, exitOnSignal, nowUs, parseArgs, writeResult } from './common.mjs';

const args = parseArgs();
const expected = Number(args.count);
const idleMs = Number(args.idle_ms ?? 1000);
const stampOffset = Number(args.stamp_offset ?? -1);
const busyMs = Number(args.busy_us ?? 0) / 1000;

const socket = new Subscriber({ receiveHighWaterMark: Number(args.hwm ?? 1000) });
socket.subscribe(Buffer.from(args.prefix_hex ?? '', 'hex'));
socket.connect(args.endpoint ?? '');
exitOnSignal([socket]);
console.log('raw subscriber ready');

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
  writeResult(args.out ?? '', { received, first_ms: firstMs, last_ms: lastMs, cpu_us: cpuUs, latencies_us: latencies });
};

for await (const [frame] of socket) {
  if (busyMs > 0) for (const until = performance.now() + busyMs; performance.now() < until; );
  const now = performance.now();
  if (stampOffset >= 0 && frame) latencies.push(nowUs() - frame.readDoubleBE(stampOffset));
  if (received === 0) {
    cpuAtFirst = process.cpuUsage();
    firstMs = now;
    watch = setInterval(() => performance.now() - lastMs > idleMs && finish(), 20);
  }
  received += 1;
  lastMs = now;
  if (received >= expected) finish();
}
