import { defineService } from '@sf/core';
import { cpuSinceUs } from '../src/clock.js';
import { benchOrder, ORDER_ARGS, ORDER_OPTIONAL_ARGS, REPLY_ARGS } from '../src/payload.js';
import { writeResult } from '../src/result-file.js';

/**
 * Leading edge. For each caller count in `callers` (e.g. `8,1`): that many concurrent loops each
 * call `to_send` `count` times, up to `concurrency` (default 1) calls in flight at once. Writes `{runs: [{callers, calls, elapsed_ms, cpu_us, latencies_us}]}` to
 * `out`; the first `warmup` calls of every loop are made first and not counted.
 */
export default defineService({
  config_model: { required: { out: String, count: String }, optional: { callers: String, warmup: String, concurrency: String } },
  setup_connections: (config) => ({ orders: { concurrency: Number(config.concurrency ?? 1) } }),
  connection_models: {
    out: {
      orders: {
        connection_type: 'requester',
        optional_creation_arguments: { timeout_ms: 10_000 },
        required_arguments: ORDER_ARGS,
        optional_arguments: ORDER_OPTIONAL_ARGS,
        required_return_arguments: REPLY_ARGS,
      },
    },
  },
  main: async (to_send, config) => {
    const count = Number(config.count);
    const warmup = Number(config.warmup ?? 0);
    const order = benchOrder();
    const runs = [];
    for (const callers of (config.callers ?? '1').split(',').map(Number)) {
      const latencies: number[] = [];
      const loop = async (calls: number, record: boolean): Promise<void> => {
        for (let i = 0; i < calls; i++) {
          const sent = performance.now();
          await to_send('connection', 'orders', order);
          if (record) latencies.push((performance.now() - sent) * 1000);
        }
      };
      await Promise.all(Array.from({ length: callers }, () => loop(warmup, false)));
      const cpu = process.cpuUsage();
      const started = performance.now();
      await Promise.all(Array.from({ length: callers }, () => loop(count, true)));
      const elapsed = performance.now() - started;
      runs.push({ callers, calls: callers * count, elapsed_ms: elapsed, cpu_us: cpuSinceUs(cpu), latencies_us: latencies });
    }
    writeResult(config.out, { runs });
  },
});
