import { defineService } from '@sf/core';
import { cpuSinceUs } from '../src/clock.js';
import { benchOrder, ORDER_ARGS } from '../src/payload.js';
import { writeResult } from '../src/result-file.js';

/**
 * Leading edge: writes the `book` delta state `count` times as fast as `to_send` goes, each update
 * the whole order with `quantity` = its sequence number (1…count); writes `{sent, elapsed_ms, cpu_us}` to `out`.
 */
export default defineService({
  config_model: { required: { out: String, count: String }, optional: { wait_s: String } },
  // No high-water mark on the writer: a reader that falls behind queues instead of losing updates
  // (a lost update would make it resync from a snapshot, which this case does not mean to measure).
  setup_states: (config) => ({ book: { wait_after_creation_s: Number(config.wait_s ?? 1), send_high_water_mark: 0 } }),
  state_models: {
    out: {
      book: {
        state_type: 'delta_update_out',
        required_arguments: ORDER_ARGS,
      },
    },
  },
  main: async (to_send, config) => {
    const count = Number(config.count);
    const order = benchOrder();
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (let i = 1; i <= count; i++) await to_send('state', 'book', { state: { ...order, quantity: i } });
    writeResult(config.out, { sent: count, elapsed_ms: performance.now() - started, cpu_us: cpuSinceUs(cpu) });
  },
});
