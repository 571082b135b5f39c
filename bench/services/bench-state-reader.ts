import { defineService } from '@sf/core';
import { cpuSinceUs } from '../src/clock.js';
import { ORDER_ARGS } from '../src/payload.js';
import { writeResult } from '../src/result-file.js';

/**
 * Keeps a copy of the `book` delta state. Records when each written value becomes visible
 * (`on_update`; the empty first snapshot does not count) and writes `{updates, first_seq,
 * last_seq, first_ms, last_ms, cpu_us}` to `out` once the value's `quantity` reaches `count`, or
 * nothing changed for `idle_ms` (CPU time from the first update on).
 */
let out = '';
let lastSeq = 0;
let idleMs = 1000;
let updates = 0;
let firstSeq = 0;
let seq = 0;
let firstMs = 0;
let lastMs = 0;
let cpuAtFirst: NodeJS.CpuUsage | undefined;
let watch: NodeJS.Timeout | undefined;
let finished = false;

function finish(): void {
  if (finished) return;
  finished = true;
  clearInterval(watch);
  const cpuUs = cpuAtFirst ? cpuSinceUs(cpuAtFirst) : 0;
  writeResult(out, { updates, first_seq: firstSeq, last_seq: seq, first_ms: firstMs, last_ms: lastMs, cpu_us: cpuUs });
}

export default defineService({
  config_model: { required: { out: String, count: String }, optional: { idle_ms: String } },
  setup_config: (config) => {
    out = String(config.out);
    lastSeq = Number(config.count);
    idleMs = Number(config.idle_ms ?? 1000);
    return config;
  },
  state_models: {
    in: {
      book: {
        state_type: 'delta_update_in',
        // Long enough for the writer to start after this reader: the first snapshot request waits for it.
        optional_creation_arguments: {
          snapshot_timeout_ms: 60_000,
          on_update: (value: { quantity?: number }) => {
            const now = performance.now();
            if (value.quantity === undefined) return;
            seq = value.quantity;
            if (updates === 0) {
              cpuAtFirst = process.cpuUsage();
              firstSeq = seq;
              firstMs = now;
              watch = setInterval(() => performance.now() - lastMs > idleMs && finish(), 20);
            }
            updates += 1;
            lastMs = now;
            if (seq >= lastSeq) finish();
          },
        },
        optional_arguments: ORDER_ARGS,
      },
    },
  },
});
