// @ts-check
// Raw counterpart of services/bench-publisher.ts: a zeromq.js Publisher sending pre-encoded frames.
import { Publisher } from 'zeromq';
import { cpuSinceUs, frameworkContextOptions, nowUs, parseArgs, readFrame, sleep, writeResult } from './common.mjs';

frameworkContextOptions();

const args = parseArgs();
const frame = readFrame(args.frame ?? '');
const count = Number(args.count);
const intervalMs = Number(args.interval_ms ?? 0);
const stampOffset = Number(args.stamp_offset ?? -1);

const socket = new Publisher({ linger: 1000, sendHighWaterMark: Number(args.hwm ?? 1000) });
await socket.bind(args.endpoint ?? '');
await sleep(Number(args.wait_s ?? 1) * 1000);
const cpu = process.cpuUsage();
const started = performance.now();
if (intervalMs > 0) {
  for (let i = 0; i < count; i++) {
    const stamped = Buffer.from(frame);
    stamped.writeDoubleBE(nowUs(), stampOffset);
    await socket.send(stamped);
    await sleep(intervalMs);
  }
} else {
  for (let i = 0; i < count; i++) await socket.send(frame);
}
writeResult(args.out ?? '', { sent: count, elapsed_ms: performance.now() - started, cpu_us: cpuSinceUs(cpu) });
socket.close();
