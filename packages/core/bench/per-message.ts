// Per-message cost of @sf/core's hot paths in one process, in ns/op: validation (`check`), the
// codec (encode/decode of the seed's order request, with and without a topic) and the runner's
// inbound path (decode → check → handler with one to_send → check → encode reply).
// Run (from packages/core): sh bench/run.sh bench/per-message.ts [filter]
// Each case: warm-up, then ROUNDS timed rounds; prints the best and the median round.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { decodeRequest, encodeReply, encodeRequest } from '../src/codec/envelope.js';
import { topicPrefix } from '../src/codec/topic.js';
import type { ResolvedModel } from '../src/models/resolved-model.js';
import type { Endpoint, OutboundMessage, TypeDefinition } from '../src/plugin/contract.js';
import { InflightCounter, createReceiver } from '../src/runner/inbound.js';
import { Outputs } from '../src/runner/outputs.js';
import { compileArguments } from '../src/types/compile-arguments.js';
import { Decimal } from '../src/types/decimal.js';
import { mapOf, nullable, oneOf, optional } from '../src/types/helpers.js';

const ROUNDS = 7;
const ROUND_MS = 150;
const filter = process.argv[2];
let sink: unknown;

function bench(name: string, op: () => unknown): void {
  if (filter !== undefined && !name.includes(filter)) return;
  const warmUntil = performance.now() + 300;
  let batch = 0;
  while (performance.now() < warmUntil) {
    for (let i = 0; i < 100; i++) sink = op();
    batch += 100;
  }
  batch = Math.max(100, Math.round(batch / 30));
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    let n = 0;
    const started = process.hrtime.bigint();
    let elapsed = 0n;
    while (elapsed < BigInt(ROUND_MS * 1e6)) {
      for (let i = 0; i < batch; i++) sink = op();
      n += batch;
      elapsed = process.hrtime.bigint() - started;
    }
    rounds.push(Number(elapsed) / n);
  }
  rounds.sort((a, b) => a - b);
  const best = rounds[0]!;
  const median = rounds[Math.floor(rounds.length / 2)]!;
  console.log(`${name.padEnd(44)} ${best.toFixed(0).padStart(8)} ns/op (median ${median.toFixed(0)})`);
}

async function benchAsync(name: string, op: () => Promise<unknown>, iterations = 50_000): Promise<void> {
  if (filter !== undefined && !name.includes(filter)) return;
  for (let i = 0; i < iterations / 5; i++) sink = await op();
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) sink = await op();
    rounds.push(Number(process.hrtime.bigint() - started) / iterations);
  }
  rounds.sort((a, b) => a - b);
  console.log(
    `${name.padEnd(44)} ${rounds[0]!.toFixed(0).padStart(8)} ns/op (median ${rounds[Math.floor(rounds.length / 2)]!.toFixed(0)})`,
  );
}

// --- validation -------------------------------------------------------------------------------
const ORDER = { order_id: String, symbol: String, side: oneOf('buy', 'sell'), price: Decimal, quantity: Number };
const order = { order_id: 'o-0001234', symbol: 'BTC-USD', side: 'buy', price: new Decimal('101.25'), quantity: 3 };
const orderCheck = compileArguments({ required: ORDER }, { root: 'args', model: 'bench.order' });
if (orderCheck.check(order) !== undefined) throw new Error('order should pass');

const WIDE: Record<string, unknown> = {};
for (let i = 0; i < 200; i++) WIDE[`k${i}`] = i % 3 === 0 ? Decimal : i % 3 === 1 ? String : Number;
const partial = Object.fromEntries(Object.entries(WIDE).map(([k, v]) => [k, optional(nullable(v as typeof String))]));
const wideCheck = compileArguments({ optional: partial }, { root: 'state', model: 'bench.wide' });
const delta = { k0: new Decimal('1.5'), k100: null, k199: 'x' };
const deltaWrong = { k0: new Decimal('1.5'), k100: null, k199: 'x', k1: 3 };
if (wideCheck.check(delta) !== undefined) throw new Error('delta should pass');
if (wideCheck.check(deltaWrong) === undefined) throw new Error('bad delta should fail');

const fullCheck = compileArguments({ required: WIDE as Record<string, typeof String> }, { root: 'state', model: 'bench.full' });
const fullState = Object.fromEntries(Object.entries(WIDE).map(([k, v]) => [k, v === Decimal ? new Decimal(3) : v === String ? 's' : 4]));
if (fullCheck.check(fullState) !== undefined) throw new Error('full state should pass');

const NESTED = {
  account: String,
  book: { bids: [{ price: Decimal, size: Decimal }], levels: mapOf(Decimal, Decimal), venue: optional(String) },
  tags: [String],
} as const;
const nested = {
  account: 'acc-1',
  book: {
    bids: Array.from({ length: 10 }, (_, i) => ({ price: new Decimal(100 - i), size: new Decimal(i + 1) })),
    levels: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [String(100 + i), new Decimal(i + 1)])),
  },
  tags: ['a', 'b', 'c'],
};
const nestedCheck = compileArguments({ required: NESTED }, { root: 'args', model: 'bench.nested' });
if (nestedCheck.check(nested) !== undefined) throw new Error('nested should pass');

bench('check: order args (valid)', () => orderCheck.check(order));
bench('check: 200-key partial, 3-key delta (valid)', () => wideCheck.check(delta));
bench('check: 200-key full state (valid)', () => fullCheck.check(fullState));
bench('check: nested list + mapOf (valid)', () => nestedCheck.check(nested));
bench('check: order args (invalid, explained)', () => orderCheck.check({ ...order, side: 'hold' }));

// --- codec ------------------------------------------------------------------------------------
const WORKFLOW_ID = '3f2b8a4e-9c1d-4e7a-8b6f-0a1b2c3d4e5f_2';
const envelope = { args: order, workflow_id: WORKFLOW_ID };
const frame = encodeRequest(envelope);
const prefix = topicPrefix('orders');
const topicFrame = encodeRequest(envelope, prefix);
const plainEnvelope = { args: { order_id: 'o-0001234', symbol: 'BTC-USD', side: 'buy', quantity: 3 }, workflow_id: WORKFLOW_ID };
const plainFrame = encodeRequest(plainEnvelope);
bench('encodeRequest: order', () => encodeRequest(envelope));
bench('encodeRequest: order, topic prefix', () => encodeRequest(envelope, prefix));
bench('encodeRequest: order without Decimal', () => encodeRequest(plainEnvelope));
bench('decodeRequest: order', () => decodeRequest(frame));
bench('decodeRequest: order, topic prefix', () => decodeRequest(topicFrame, prefix));
bench('decodeRequest: order without Decimal', () => decodeRequest(plainFrame));
// Every price different (5000 in turn): what a Decimal costs when no text repeats.
const priceFrames = Array.from({ length: 5000 }, (_, i) =>
  encodeRequest({ args: { ...order, price: new Decimal((10000 + i * 7) / 100) }, workflow_id: WORKFLOW_ID }),
);
let next = 0;
bench('decodeRequest: order, 5000 distinct prices', () => decodeRequest(priceFrames[next++ % 5000]!));
bench('encodeReply: small', () => encodeReply({ return_args: { order_id: 'o-0001234', status: 'accepted' }, workflow_id: WORKFLOW_ID }));

// --- runner -----------------------------------------------------------------------------------
const quiet = pino({ level: 'info' }, new Writable({ write: (_c, _e, done) => done() }));
const sent: OutboundMessage[] = [];
const outEndpoint: Endpoint = {
  open: async () => {},
  close: async () => {},
  send: async (message) => {
    sent.length = 0;
    sent.push(message);
    return undefined;
  },
};
const outModel = {
  name: 'fills',
  kind: 'connection',
  side: 'out',
  path: 'connection_models.out.fills',
  definition: { replies: false } as TypeDefinition,
  send: compileArguments({ required: { order_id: String } }, { root: 'args' }),
  returns: undefined,
} as unknown as ResolvedModel;
const outputs = new Outputs('bench.ts', quiet);
outputs.add(outModel, outEndpoint);
const inModel = {
  name: 'orders',
  kind: 'connection',
  side: 'in',
  path: 'connection_models.in.orders',
  definition: { replies: true } as TypeDefinition,
  handler: async (args: { order_id: string }, toSend: (t: string, n: string, a: object) => Promise<unknown>) => {
    await toSend('connection', 'fills', { order_id: args.order_id });
    return { status: 'accepted' };
  },
  args: orderCheck,
  returns: compileArguments({ required: { status: String } }, { root: 'return_args' }),
} as unknown as ResolvedModel;
const receive = createReceiver(inModel, { outputs, states: {}, config: {}, logger: quiet, inflight: new InflightCounter() });
const firstReply = await receive(frame);
if (firstReply === undefined || sent[0]?.workflowId !== WORKFLOW_ID) throw new Error('receiver did not reply or send');
await benchAsync('runner: receive order (reply + 1 to_send)', () => receive(frame));

if (sink === Symbol.for('never')) console.log(sink);
console.log(`node ${process.version}`);
