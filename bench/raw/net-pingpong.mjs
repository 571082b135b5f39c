// @ts-check
// The floor of case 2 and 9: two Node processes doing request/reply over a plain `node:net` TCP
// connection (noDelay), no ZeroMQ. `--role server` answers every `request_bytes` bytes it reads
// with the reply frame; `--role client` sends the request frame and waits for the whole reply,
// one call at a time, and writes `{runs: [{callers, calls, elapsed_ms, cpu_us, latencies_us}]}`
// as raw-requester.mjs does. The frames are case 2's (the same bytes as the framework's).
import { connect, createServer } from 'node:net';
import { cpuSinceUs, parseArgs, readFrame, writeResult } from './common.mjs';

const args = parseArgs();
const port = Number(args.port);

if (args.role === 'server') {
  const reply = readFrame(args.reply ?? '');
  const requestBytes = Number(args.request_bytes);
  let handled = 0;
  /** @type {NodeJS.CpuUsage | undefined} */
  let cpuAtFirst;
  const server = createServer({ noDelay: true }, (socket) => {
    let pending = 0;
    socket.on('data', (chunk) => {
      pending += chunk.length;
      while (pending >= requestBytes) {
        pending -= requestBytes;
        if (handled === 0) cpuAtFirst = process.cpuUsage();
        handled += 1;
        socket.write(reply);
      }
    });
    socket.on('error', () => socket.destroy());
  });
  const stop = () => {
    if (args.out) writeResult(args.out, { handled, cpu_us: cpuAtFirst ? cpuSinceUs(cpuAtFirst) : 0 });
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  server.listen(port, '127.0.0.1', () => console.log('raw net ready'));
} else {
  const frame = readFrame(args.frame ?? '');
  const replyBytes = Number(args.reply_bytes);
  const count = Number(args.count);
  const warmup = Number(args.warmup ?? 0);
  const socket = connect({ port, host: '127.0.0.1', noDelay: true });
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  /** @type {(() => void) | undefined} */
  let answered;
  let pending = 0;
  socket.on('data', (chunk) => {
    pending += chunk.length;
    if (pending >= replyBytes) {
      pending -= replyBytes;
      answered?.();
    }
  });
  const call = () =>
    new Promise((resolve) => {
      answered = /** @type {() => void} */ (resolve);
      socket.write(frame);
    });
  /** @type {number[]} */
  const latencies = [];
  for (let i = 0; i < warmup; i++) await call();
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const sent = performance.now();
    await call();
    latencies.push((performance.now() - sent) * 1000);
  }
  const elapsed = performance.now() - started;
  writeResult(args.out ?? '', {
    runs: [{ callers: 1, calls: count, elapsed_ms: elapsed, cpu_us: cpuSinceUs(cpu), latencies_us: latencies }],
  });
  socket.destroy();
}
