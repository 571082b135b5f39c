// @ts-check
// Where a round trip goes (docs/performance.md): one-at-a-time request/reply between two Node
// processes over node:net and over zeromq.js socket pairs and options, alternated round by round
// so all variants share the machine's load. Each variant's server is
// a child running this file with `--serve`, and the client is another (`--client`), so each variant
// starts both sides with a fresh ZeroMQ context.
//   node tools/zmq-floor.mjs [--count 5000] [--warmup 500] [--rounds 3] [--only net,req-router,…]
// Prints per variant the median over rounds of p50/p90/p99 (µs) and CPU per call of both sides.
import { spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import * as zmq from 'zeromq';

const REQUEST = Buffer.alloc(149, 0x61);
const REPLY = Buffer.alloc(104, 0x62);

/** @typedef {{ zeroCopy?: boolean, ioThreads?: number, serverLoop?: string, cpus?: number[], requestBytes?: number }} Options */
/** Variant → [client socket, server socket, transport, options] (null: node:net). @type {Record<string, [string, string, string, Options] | null>} */
const VARIANTS = {
  net: null,
  'req-router': ['Request', 'Router', 'tcp', {}],
  'req-router zero-copy on': ['Request', 'Router', 'tcp', { zeroCopy: true }],
  'req-rep': ['Request', 'Reply', 'tcp', {}],
  'dealer-router': ['Dealer', 'Router', 'tcp', {}],
  'req-router ipc': ['Request', 'Router', 'ipc', {}],
  'req-router 2 io threads': ['Request', 'Router', 'tcp', { ioThreads: 2 }],
  'req-router server for-await': ['Request', 'Router', 'tcp', { serverLoop: 'for-await' }],
  'req-router 120-byte request': ['Request', 'Router', 'tcp', { requestBytes: 120 }],
  'req-router pinned: client cpu 0, server cpu 1': ['Request', 'Router', 'tcp', { cpus: [0, 1] }],
  'req-router pinned: both on cpu 0': ['Request', 'Router', 'tcp', { cpus: [0, 0] }],
  'net pinned: both on cpu 0': ['net', 'net', 'tcp', { cpus: [0, 0] }],
};

/** @param {string[]} argv */
function parse(argv) {
  /** @type {Record<string, string>} */
  const out = {};
  for (let i = 0; i < argv.length; i += 2) out[(argv[i] ?? '').replace(/^--/, '')] = argv[i + 1] ?? '';
  return out;
}

/** @param {{ zeroCopy?: boolean, ioThreads?: number }} options */
function contextOptions(options) {
  /** @type {any} */ (zmq.context).setBoolOption(10, options.zeroCopy === true); // ZMQ_ZERO_COPY_RECV
  if (options.ioThreads) zmq.context.ioThreads = options.ioThreads;
}

const args = parse(process.argv.slice(2));
if (args.serve !== undefined) await serve(args.serve, args.endpoint ?? '', Number(args.port));
else if (args.client !== undefined) {
  const result = await client(args.client, args.endpoint ?? '', Number(args.port), Number(args.count), Number(args.warmup));
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else await main();

/** @param {string} variant @param {string} endpoint @param {number} port */
async function serve(variant, endpoint, port) {
  const cpu = process.cpuUsage();
  let handled = 0;
  process.once('SIGINT', () => {
    const used = process.cpuUsage(cpu);
    process.stdout.write(`${JSON.stringify({ handled, cpu_us: used.user + used.system })}\n`);
    process.exit(0);
  });
  const spec = VARIANTS[/** @type {keyof typeof VARIANTS} */ (variant)];
  if (!spec || spec[0] === 'net') {
    createServer({ noDelay: true }, (socket) => {
      let pending = 0;
      socket.on('data', (chunk) => {
        pending += chunk.length;
        for (; pending >= REQUEST.length; pending -= REQUEST.length, handled++) socket.write(REPLY);
      });
    }).listen(port, '127.0.0.1', () => console.log('ready'));
    return;
  }
  const [, serverType, , options] = /** @type {[string, string, string, any]} */ (spec);
  contextOptions(options);
  const socket = new /** @type {any} */ (zmq)[serverType]();
  await socket.bind(endpoint);
  console.log('ready');
  const reply = async (/** @type {Buffer[]} */ frames) => {
    handled += 1;
    await socket.send(serverType === 'Reply' ? REPLY : [...frames.slice(0, -1), REPLY]);
  };
  if (options.serverLoop === 'for-await') for await (const frames of socket) await reply(frames);
  else for (;;) await reply(await socket.receive());
}

async function main() {
  const count = Number(args.count ?? 5000);
  const warmup = Number(args.warmup ?? 500);
  const rounds = Number(args.rounds ?? 3);
  const names = args.only ? args.only.split(',') : Object.keys(VARIANTS);
  const unknown = names.filter((name) => !(name in VARIANTS));
  if (unknown.length > 0) throw new Error(`unknown variant(s) ${unknown.join(', ')}; known: ${Object.keys(VARIANTS).join(', ')}`);
  /** @type {Record<string, {p50: number, p90: number, p99: number, client: number, server: number}[]>} */
  const results = {};
  for (let round = 0; round < rounds; round++) {
    for (const name of names) {
      const result = await measure(name, count, warmup);
      results[name] = [...(results[name] ?? []), result];
    }
  }
  const median = (/** @type {number[]} */ xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? NaN;
  console.log('variant | p50 µs | p90 µs | p99 µs | client CPU µs/call | server CPU µs/call');
  for (const name of names) {
    const rs = results[name] ?? [];
    const cols = /** @type {const} */ (['p50', 'p90', 'p99', 'client', 'server']).map((k) => median(rs.map((r) => r[k])).toFixed(0));
    console.log(`${name} | ${cols.join(' | ')}   (p50 per round: ${rs.map((r) => r.p50.toFixed(0)).join(', ')})`);
  }
}

/** Runs this file as a child with `args`; resolves to its stdout once `until` is in it (or it exited). */
function child(/** @type {string[]} */ args, /** @type {string} */ until, /** @type {number | undefined} */ cpu) {
  const command = [process.execPath, fileURLToPath(import.meta.url), ...args];
  if (cpu !== undefined) command.unshift('taskset', '-c', String(cpu));
  const proc = spawn(command[0] ?? '', command.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  proc.stdout.setEncoding('utf8').on('data', (chunk) => (output += chunk));
  const seen = new Promise((resolve) => {
    proc.stdout.on('data', () => output.includes(until) && resolve(undefined));
    proc.once('exit', () => resolve(undefined));
  });
  return { proc, seen, output: () => output };
}

/** @param {string} name @param {number} count @param {number} warmup */
async function measure(name, count, warmup) {
  const spec = VARIANTS[/** @type {keyof typeof VARIANTS} */ (name)];
  const port = 20000 + Math.floor(Math.random() * 20000);
  const endpoint = spec?.[2] === 'ipc' ? `ipc:///tmp/zmq-floor-${process.pid}-${port}` : `tcp://127.0.0.1:${port}`;
  const where = ['--endpoint', endpoint, '--port', String(port)];
  const cpus = spec?.[3]?.cpus;
  const server = child(['--serve', name, ...where], 'ready', cpus?.[1]);
  await server.seen;
  const caller = child(['--client', name, ...where, '--count', String(count), '--warmup', String(warmup)], '}', cpus?.[0]);
  await caller.seen;
  await new Promise((resolve) => caller.proc.once('exit', resolve).exitCode !== null && resolve(undefined));
  server.proc.kill('SIGINT');
  await new Promise((resolve) => server.proc.once('exit', resolve));
  const handled = JSON.parse(
    server
      .output()
      .split('\n')
      .find((line) => line.startsWith('{')) ?? '{}',
  );
  const result = JSON.parse(
    caller
      .output()
      .split('\n')
      .find((line) => line.startsWith('{')) ?? '{}',
  );
  return { ...result, server: handled.cpu_us / handled.handled };
}

/** The calling side of one variant: `count` timed calls after `warmup`; p50/p90/p99 and CPU per call. */
/** @param {string} name @param {string} endpoint @param {number} port @param {number} count @param {number} warmup */
async function client(name, endpoint, port, count, warmup) {
  const spec = VARIANTS[/** @type {keyof typeof VARIANTS} */ (name)];
  /** @type {() => Promise<unknown>} */
  let call;
  /** @type {() => void} */
  let close;
  if (!spec || spec[0] === 'net') {
    const socket = connect({ port, host: '127.0.0.1', noDelay: true });
    await new Promise((resolve) => socket.once('connect', resolve));
    /** @type {(() => void) | undefined} */
    let answered;
    let pending = 0;
    socket.on('data', (chunk) => {
      pending += chunk.length;
      if (pending >= REPLY.length) {
        pending -= REPLY.length;
        answered?.();
      }
    });
    call = () =>
      new Promise((resolve) => {
        answered = () => resolve(undefined);
        socket.write(REQUEST);
      });
    close = () => socket.destroy();
  } else {
    const [clientType, , , options] = /** @type {[string, string, string, any]} */ (spec);
    contextOptions(options);
    // zeromq.js sends a buffer over 128 bytes zero-copy: libzmq's I/O thread hands it back to the
    // JS thread (an eventfd wake-up) once sent; a shorter one is copied.
    const request = options.requestBytes ? REQUEST.subarray(0, options.requestBytes) : REQUEST;
    const socket = new /** @type {any} */ (zmq)[clientType]({ linger: 0 });
    socket.connect(endpoint);
    const dealer = clientType === 'Dealer';
    call = async () => {
      await socket.send(dealer ? [Buffer.alloc(0), request] : request);
      await socket.receive();
    };
    close = () => socket.close();
  }
  for (let i = 0; i < warmup; i++) await call();
  const latencies = new Float64Array(count);
  const cpu = process.cpuUsage();
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await call();
    latencies[i] = (performance.now() - t0) * 1000;
  }
  const used = process.cpuUsage(cpu);
  close();
  latencies.sort();
  const at = (/** @type {number} */ p) => latencies[Math.min(count - 1, Math.ceil((p / 100) * count) - 1)] ?? NaN;
  return { p50: at(50), p90: at(90), p99: at(99), client: (used.user + used.system) / count };
}
