import { defineService } from '@sf/core';
import { cpuSinceUs, nowUs } from '../src/clock.js';
import { ORDER_ARGS, ORDER_OPTIONAL_ARGS, TOPIC } from '../src/payload.js';
import { writeResult } from '../src/result-file.js';

/**
 * Counts publications (and, with `latency=1`, the one-way latency of each from its `sent_us`);
 * writes `{received, first_ms, last_ms, latencies_us}` to `out` once `count` arrived or nothing
 * arrived for `idle_ms`, with the CPU time used from the first message on (`cpu_us`). `hwm` sets
 * its `receive_high_water_mark`.
 */
let out = '';
let expected = Number.POSITIVE_INFINITY;
let idleMs = 1000;
let trackLatency = false;
let received = 0;
let firstMs = 0;
let lastMs = 0;
let cpuAtFirst: NodeJS.CpuUsage | undefined;
const latencies: number[] = [];
let watch: NodeJS.Timeout | undefined;
let finished = false;

function finish(): void {
  if (finished) return;
  finished = true;
  clearInterval(watch);
  const cpuUs = cpuAtFirst ? cpuSinceUs(cpuAtFirst) : 0;
  writeResult(out, { received, first_ms: firstMs, last_ms: lastMs, cpu_us: cpuUs, latencies_us: latencies });
}

export default defineService({
  config_model: { required: { out: String, count: String }, optional: { idle_ms: String, latency: String, hwm: String } },
  setup_connections: (config) => (config.hwm === undefined ? {} : { orders: { receive_high_water_mark: Number(config.hwm) } }),
  setup_config: (config) => {
    out = String(config.out);
    expected = Number(config.count);
    idleMs = Number(config.idle_ms ?? 1000);
    trackLatency = config.latency === '1';
    return config;
  },
  connection_models: {
    in: {
      orders: {
        connection_type: 'subscriber',
        required_creation_arguments: {
          on_new_message: (args) => {
            const now = performance.now();
            if (trackLatency) latencies.push(nowUs() - (args.sent_us ?? 0));
            if (received === 0) {
              cpuAtFirst = process.cpuUsage();
              firstMs = now;
              watch = setInterval(() => performance.now() - lastMs > idleMs && finish(), 20);
            }
            received += 1;
            lastMs = now;
            if (received >= expected) finish();
          },
        },
        optional_creation_arguments: { topic: TOPIC },
        required_arguments: ORDER_ARGS,
        optional_arguments: ORDER_OPTIONAL_ARGS,
      },
    },
  },
});
