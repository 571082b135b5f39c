// @ts-check
// The Moleculer reference: one ServiceBroker per process on its TCP transporter (static peers on
// loopback, no UDP discovery) with the MsgPack serializer (msgpack5). --role picks what it does:
//   replyer    an `orders.place` action answering {order_id, status}
//   requester  sequential calls of `orders.place` (as raw-requester.mjs: {runs: [...]} to --out)
//   subscriber an `orders.placed` event handler counting events (as raw-subscriber.mjs)
//   publisher  emits --count `orders.placed` events, awaiting each (Moleculer has no high-water mark)
import { ServiceBroker } from 'moleculer';
import { arrivalCounter, cpuSinceUs, parseArgs, writeResult } from './common.mjs';

const args = parseArgs();
const role = args.role ?? '';
const serving = role === 'replyer' || role === 'subscriber';
const peerId = serving ? 'caller' : 'server';
// Moleculer has no Decimal: the price travels as its text.
const order = { order_id: 'o-0001234', symbol: 'BTC-USD', side: 'buy', price: '101.25', quantity: 3 };

const broker = new ServiceBroker({
  nodeID: serving ? 'server' : 'caller',
  logger: false,
  serializer: 'MsgPack',
  transporter: {
    type: 'TCP',
    options: { udpDiscovery: false, port: Number(args.port), urls: [`127.0.0.1:${args.peer_port}/${peerId}`] },
  },
});

const stop = async () => {
  await broker.stop();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

if (role === 'replyer') {
  let handled = 0;
  let cpu = process.cpuUsage();
  broker.createService({
    name: 'orders',
    actions: {
      place: (ctx) => {
        if (handled++ === 0) cpu = process.cpuUsage();
        return { order_id: ctx.params.order_id, status: 'accepted' };
      },
    },
  });
  process.prependOnceListener('SIGINT', () => writeResult(args.out ?? '', { handled, cpu_us: cpuSinceUs(cpu) }));
} else if (role === 'subscriber') {
  subscribe(Number(args.count), Number(args.idle_ms ?? 1000));
}
await broker.start();
console.log('raw moleculer ready');

if (role === 'requester') {
  await broker.waitForServices(['orders']);
  const count = Number(args.count);
  const call = () => broker.call('orders.place', order);
  for (let i = 0; i < Number(args.warmup ?? 0); i++) await call();
  /** @type {number[]} */
  const latencies = [];
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
  await stop();
} else if (role === 'publisher') {
  await broker.waitForServices(['sink']);
  const count = Number(args.count);
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < count; i++) await broker.emit('orders.placed', order);
  writeResult(args.out ?? '', { sent: count, elapsed_ms: performance.now() - started, cpu_us: cpuSinceUs(cpu) });
  await stop();
}

/**
 * Counts `orders.placed` events (see `arrivalCounter`).
 * @param {number} expected @param {number} idleMs
 */
function subscribe(expected, idleMs) {
  const arrived = arrivalCounter({ expected, idleMs, out: args.out ?? '' });
  broker.createService({ name: 'sink', events: { 'orders.placed': () => arrived() } });
}
