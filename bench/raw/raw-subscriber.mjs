// @ts-check
// Raw counterpart of services/bench-subscriber.ts: a zeromq.js Subscriber counting frames.
// With --busy_us N it first spins N µs per frame: how much any per-message work costs this pipeline.
import { Subscriber } from 'zeromq';
import { arrivalCounter, exitOnSignal, frameworkContextOptions, nowUs, parseArgs } from './common.mjs';

frameworkContextOptions();

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

const arrived = arrivalCounter({ expected, idleMs, out: args.out ?? '' });
for await (const [frame] of socket) {
  if (busyMs > 0) for (const until = performance.now() + busyMs; performance.now() < until; );
  arrived(stampOffset >= 0 && frame ? nowUs() - frame.readDoubleBE(stampOffset) : undefined);
}
