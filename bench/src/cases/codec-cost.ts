/**
 * Case 5: per-message cost inside one process, in ns: what the framework adds to each message
 * (validate + encode, decode + validate) next to plain MessagePack of the same bytes.
 */
import { compileArguments, decodeRequest, encodeRequest } from '@sf/core';
import { Packr } from 'msgpackr';
import type { CaseContext } from '../case-context.js';
import { benchOrder, ORDER_ARGS, ORDER_OPTIONAL_ARGS, requestFrame, SAMPLE_WORKFLOW_ID } from '../payload.js';
import { type CaseResult, row } from '../results.js';
import { median } from '../stats.js';

const ROUNDS = 3;

/** Times each operation in a tight loop (warm-up first; median of 3 rounds). */
export async function codecCost(ctx: CaseContext): Promise<Omit<CaseResult, 'elapsedMs'>> {
  const iterations = ctx.profile.codecIterations;
  ctx.log(`per-message cost: ${iterations} iterations per operation`);
  const validator = compileArguments({ required: ORDER_ARGS, optional: ORDER_OPTIONAL_ARGS }, { root: 'args', model: 'bench.orders' });
  const order = benchOrder();
  const envelope = { args: { ...order }, workflow_id: SAMPLE_WORKFLOW_ID };
  const frame = requestFrame(order);
  // Plain MessagePack of the same bytes: the wire form already built (Decimal as its marker map).
  const packr = new Packr({ useRecords: false, moreTypes: false, bundleStrings: false, variableMapSize: true, useToJSON: false });
  const wire = { args: { ...order, price: { __decimal__: true, as_str: order.price.toString() } }, workflow_id: SAMPLE_WORKFLOW_ID };
  if (!Buffer.from(packr.pack(wire)).equals(Buffer.from(frame))) throw new Error('plain msgpackr bytes differ from encodeRequest bytes');

  const time = (op: () => unknown): number => nsPerOp(op, iterations);
  const validate = time(() => validator.check(envelope.args));
  const encode = time(() => encodeRequest(envelope));
  const validateEncode = time(() => validator.check(envelope.args) ?? encodeRequest(envelope));
  const decode = time(() => decodeRequest(frame));
  const decodeValidate = time(() => validator.check(decodeRequest(frame).args));
  const rawPack = time(() => packr.pack(wire));
  const rawUnpack = time(() => packr.unpack(frame));
  return {
    id: 'codec-cost',
    title: '5. Per-message cost in one process (ns per message)',
    rows: [
      row('validate args (ajv)', 'ns', validate, null),
      row('encode request', 'ns', encode, rawPack),
      row('validate + encode (send side)', 'ns', validateEncode, rawPack),
      row('decode request', 'ns', decode, rawUnpack),
      row('decode + validate (receive side)', 'ns', decodeValidate, rawUnpack),
    ],
    targets: [],
    notes: [
      `The order request (${frame.length} bytes); ${iterations.toLocaleString('en-US')} iterations after ${Math.round(iterations / 10).toLocaleString('en-US')} warm-up ones, median of ${ROUNDS} rounds.`,
      'Raw: msgpackr pack of the ready-made wire form (Decimal already a marker map) and msgpackr unpack of the same bytes: no marker conversion, no envelope checks, no validation.',
    ],
  };
}

let sink: unknown;

function nsPerOp(op: () => unknown, iterations: number): number {
  for (let i = 0; i < iterations / 10; i++) sink = op();
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) sink = op();
    rounds.push(Number(process.hrtime.bigint() - started) / iterations);
  }
  if (sink === Symbol.for('never')) console.log(sink);
  return median(rounds);
}
