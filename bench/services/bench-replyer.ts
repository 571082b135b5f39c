import { defineService } from '@sf/core';
import { cpuSinceUs, sleep } from '../src/clock.js';
import { ORDER_ARGS, ORDER_OPTIONAL_ARGS, REPLY_ARGS } from '../src/payload.js';
import { writeResult } from '../src/result-file.js';

/**
 * Answers each order with `{order_id, status}`, after awaiting `delay_ms` of simulated I/O when
 * given, up to `concurrency` (default 1) at once. With `out`, writes `{handled, cpu_us}` there when
 * stopped (CPU time from the first request on).
 */
let delayMs = 0;
let handled = 0;
let cpuAtFirst: NodeJS.CpuUsage | undefined;

export default defineService({
  config_model: { optional: { delay_ms: String, out: String, concurrency: String } },
  setup_config: (config) => {
    delayMs = Number(config.delay_ms ?? 0);
    return config;
  },
  setup_connections: (config) => ({ orders: { concurrency: Number(config.concurrency ?? 1) } }),
  connection_models: {
    in: {
      orders: {
        connection_type: 'replyer',
        required_creation_arguments: {
          on_new_request: async (args) => {
            if (handled === 0) cpuAtFirst = process.cpuUsage();
            handled += 1;
            if (delayMs > 0) await sleep(delayMs);
            return { order_id: args.order_id, status: 'accepted' };
          },
        },
        required_arguments: ORDER_ARGS,
        optional_arguments: ORDER_OPTIONAL_ARGS,
        required_return_arguments: REPLY_ARGS,
      },
    },
  },
  sigint_handler: (_signal, _to_send, _states, config) => {
    if (config.out !== undefined) writeResult(config.out, { handled, cpu_us: cpuAtFirst ? cpuSinceUs(cpuAtFirst) : 0 });
  },
});
