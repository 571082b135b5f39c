// Compares msgpackr and @msgpack/msgpack on the seed's order-like request, each configured the
// way codec/msgpack.ts would use it (plain MessagePack only). Run: node bench/msgpack-choice.mjs
import { Decoder, Encoder } from '@msgpack/msgpack';
import { Packr, Unpackr } from 'msgpackr';

const payload = {
  args: {
    order_id: 'f3b1c2d4-0000-4000-8000-00000000abcd',
    symbol: 'BTC-USD',
    side: 'buy',
    price: { __decimal__: true, as_str: '101.50' },
    quantity: 3,
  },
  workflow_id: 'wf-7c9e6679-7425-40de-944b-e07fc1f90ae7',
};

const msgpackrOptions = {
  useRecords: false,
  moreTypes: false,
  structuredClone: false,
  bundleStrings: false,
  variableMapSize: true,
  int64AsType: 'auto',
  mapsAsObjects: true,
};
const packr = new Packr(msgpackrOptions);
const unpackr = new Unpackr(msgpackrOptions);
const encoder = new Encoder({ useBigInt64: true });
const decoder = new Decoder({ useBigInt64: true });

const candidates = {
  msgpackr: { encode: (v) => packr.pack(v), decode: (b) => unpackr.unpack(b) },
  '@msgpack/msgpack': { encode: (v) => encoder.encode(v), decode: (b) => decoder.decode(b) },
};

function opsPerSecond(fn, arg) {
  for (let i = 0; i < 20_000; i++) fn(arg);
  let best = 0;
  for (let round = 0; round < 5; round++) {
    const started = process.hrtime.bigint();
    let n = 0;
    let elapsed = 0n;
    while (elapsed < 200_000_000n) {
      for (let i = 0; i < 1000; i++) fn(arg);
      n += 1000;
      elapsed = process.hrtime.bigint() - started;
    }
    best = Math.max(best, (n * 1e9) / Number(elapsed));
  }
  return Math.round(best);
}

const reference = Buffer.from(candidates['@msgpack/msgpack'].encode(payload)).toString('hex');
for (const [name, lib] of Object.entries(candidates)) {
  const frame = lib.encode(payload);
  const same = Buffer.from(frame).toString('hex') === reference ? 'same bytes' : 'different bytes';
  const encodeOps = opsPerSecond(lib.encode, payload);
  const decodeOps = opsPerSecond(lib.decode, frame);
  console.log(
    `${name.padEnd(18)} encode ${String(encodeOps).padStart(9)} ops/s  decode ${String(decodeOps).padStart(9)} ops/s  ${frame.length} bytes, ${same}`,
  );
}
console.log(`node ${process.version}`);
