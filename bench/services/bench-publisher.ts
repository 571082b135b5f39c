import { defineService } from '@sf/core';
import { cpuSinceUs, nowUs, sleep } from '../src/clock.js';
import { benchOrder, ORDER_ARGS, ORDER_OPTIONAL_ARGS, TOPIC } from '../src/payload.js';
import { writeResult } from '../src/result-file.js';

/**
 * Leading edge: publishes `count` orders (padded to `size` bytes when given) as fast as `to_send`
 * goes, or one every `interval_ms` stamped with `sent_us`, with `send_high_water_mark` `hwm` when
 * given; writes `{sent, elapsed_ms, cpu_us}` to `out`.
 */
export default defineService({
  config_model: {
    required: { out: String, count: String },
    optional: { size: String, interval_ms: String, wait_s: String, hwm: String },
  },
  setup_connections: (config) => ({
    orders: {
      wait_after_creation_s: Number(config.wait_s ?? 1),
      ...(config.hwm !== undefined && { send_high_water_mark: Number(config.hwm) }),
    },
  }),
  connection_models: {
    out: {
      orders: {
        connection_type: 'publisher',
        optional_creation_arguments: { topic: TOPIC },
        required_arguments: ORDER_ARGS,
        optional_arguments: ORDER_OPTIONAL_ARGS,
      },
    },
  },
  main: async (to_send, config) => {
    const count = Number(config.count);
    const intervalMs = Number(config.interval_ms ?? 0);
    const order = benchOrder(Number(config.size ?? 0));
    const cpu = process.cpuUsage();
    const started = performance.now();
    if (intervalMs > 0) {
      for (let i = 0; i < count; i++) {
        await to_send('connection', 'orders', { ...order, sent_us: nowUs() });
        await sleep(intervalMs);
      }
    } else {
      for (let i = 0; i < count; i++) await to_send('connection', 'orders', order);
    }
    writeResult(config.out, { sent: count, elapsed_ms: performance.now() - started, cpu_us: cpuSinceUs(cpu) });
  },
});
