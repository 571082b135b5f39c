// @ts-check
// Raw counterpart of services/bench-replyer.ts: a zeromq.js Router (the framework's replyer socket)
// answering each request with a pre-encoded reply; with `delay_ms`, concurrently after that delay.
// With `out`, writes `{handled, cpu_us}` there when stopped.
import { Router } from 'zeromq';
import { cpuSinceUs, exitOnSignal, frameworkContextOptions, parseArgs, readFrame, sleep, writeResult } from './common.mjs';

frameworkContextOptions();

const args = parseArgs();
const reply = readFrame(args.reply ?? '');
const delayMs = Number(args.delay_ms ?? 0);

const socket = new Router();
await socket.bind(args.endpoint ?? '');
let handled = 0;
/** @type {NodeJS.CpuUsage | undefined} */
let cpuAtFirst;
exitOnSignal([socket], () => {
  if (args.out) writeResult(args.out, { handled, cpu_us: cpuAtFirst ? cpuSinceUs(cpuAtFirst) : 0 });
});
console.log('raw replyer ready');

// zeromq.js allows one pending send per socket: delayed replies go out through one queue.
/** @type {Promise<unknown>} */
let sending = Promise.resolve();
for await (const frames of socket) {
  if (handled === 0) cpuAtFirst = process.cpuUsage();
  handled += 1;
  const envelope = frames.slice(0, -1);
  if (delayMs === 0) {
    await socket.send([...envelope, reply]);
    continue;
  }
  void sleep(delayMs).then(() => {
    sending = sending.then(() => socket.send([...envelope, reply]));
  });
}
