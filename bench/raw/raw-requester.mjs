// @ts-check
// Raw counterpart of services/bench-requester.ts: one zeromq.js Request socket per caller, each
// sending a pre-encoded request and awaiting the reply.
import { Request } from 'zeromq';
import { cpuSinceUs, frameworkContextOptions, parseArgs, readFrame, writeResult } from './common.mjs';

frameworkContextOptions();

const args = parseArgs();
const frame = readFrame(args.frame ?? '');
const count = Number(args.count);
const warmup = Number(args.warmup ?? 0);

const runs = [];
for (const callers of (args.callers ?? '1').split(',').map(Number)) {
  const sockets = Array.from({ length: callers }, () => {
    const socket = new Request({ linger: 0 });
    socket.connect(args.endpoint ?? '');
    return socket;
  });
  /** @type {number[]} */
  const latencies = [];
  /** @param {Request} socket @param {number} calls @param {boolean} record */
  const loop = async (socket, calls, record) => {
    for (let i = 0; i < calls; i++) {
      const sent = performance.now();
      await socket.send(frame);
      await socket.receive();
      if (record) latencies.push((performance.now() - sent) * 1000);
    }
  };
  await Promise.all(sockets.map((socket) => loop(socket, warmup, false)));
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(sockets.map((socket) => loop(socket, count, true)));
  const elapsed = performance.now() - started;
  runs.push({ callers, calls: callers * count, elapsed_ms: elapsed, cpu_us: cpuSinceUs(cpu), latencies_us: latencies });
  for (const socket of sockets) socket.close();
}
writeResult(args.out ?? '', { runs });
