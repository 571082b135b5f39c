import { existsSync } from 'node:fs';
import { defineService, mapOf } from '@sf/core';
import { writeResult } from '../src/result-file.js';

/** Keys 0…keys−1 in base 36: short, so a 1,000,000-key snapshot stays well under the message limit. */
const key = (i: number): string => i.toString(36);

/**
 * Writes a `keys`-key `mapOf(String, Number)` state as one snapshot, then `count` one-key deltas
 * as fast as `to_send` goes: delta i sets key (i mod keys) to 1,000,000,000 + i. Writes `{sent}` to `out`,
 * then, with `stay_until` (the reader's result file), stays until that file exists: the deltas still
 * queued for a reader that holds them back must not go with this process.
 */
export default defineService({
  config_model: { required: { out: String, keys: String, count: String }, optional: { wait_s: String, stay_until: String } },
  // No high-water mark: a reader that falls behind queues instead of losing updates and resyncing.
  setup_states: (config) => ({
    big: { wait_after_creation_s: Number(config.wait_s ?? 1), send_high_water_mark: 0 },
  }),
  state_models: { out: { big: { state_type: 'delta_update_out', optional_arguments: mapOf(String, Number) } } },
  main: async (to_send, config) => {
    const [keys, count] = [Number(config.keys), Number(config.count)];
    const state: Record<string, number> = {};
    for (let i = 0; i < keys; i++) state[key(i)] = i;
    await to_send('state', 'big', { state, is_snapshot: true });
    for (let i = 0; i < count; i++) await to_send('state', 'big', { state: { [key(i % keys)]: 1_000_000_000 + i } });
    writeResult(config.out, { sent: count });
    const stayUntil = config.stay_until === undefined ? undefined : String(config.stay_until);
    while (stayUntil !== undefined && !existsSync(stayUntil)) await new Promise((resolve) => setTimeout(resolve, 20));
  },
});
