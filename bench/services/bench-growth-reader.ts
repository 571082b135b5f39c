import { defineService, mapOf } from '@sf/core';
import { writeResult } from '../src/result-file.js';

/**
 * Follows bench-growth-writer.ts's state. Counts the `on_update` calls from the first that holds a
 * delta on, and writes `{updates, first_ms, last_ms, rss_mb}` to `out` once the value holds the
 * writer's last delta, or nothing changed for `idle_ms`.
 */
let out = '';
let idleMs = 1000;
let lastKey = '';
let lastValue = 0;
let updates = 0;
let firstMs = 0;
let lastMs = 0;
let watch: NodeJS.Timeout | undefined;
let finished = false;

function finish(): void {
  if (finished) return;
  finished = true;
  clearInterval(watch);
  writeResult(out, { updates, first_ms: firstMs, last_ms: lastMs, rss_mb: process.memoryUsage().rss / 1024 / 1024 });
}

export default defineService({
  config_model: { required: { out: String, keys: String, count: String }, optional: { idle_ms: String } },
  setup_config: (config) => {
    out = String(config.out);
    idleMs = Number(config.idle_ms ?? 1000);
    const count = Number(config.count);
    lastKey = ((count - 1) % Number(config.keys)).toString(36);
    lastValue = 1_000_000_000 + count - 1;
    return config;
  },
  state_models: {
    in: {
      big: {
        state_type: 'delta_update_in',
        // Long enough for the writer to start after this reader, and for a 1,000,000-key snapshot.
        optional_creation_arguments: {
          snapshot_timeout_ms: 60_000,
          // A 1,000,000-key snapshot holds more than the default 1,000,000 elements per frame.
          max_elements: 4_000_000,
          on_update: (value: Readonly<Record<string, number>>) => {
            const now = performance.now();
            if (updates === 0) {
              // The snapshot alone is not an update of this run: the first delta sets key "0".
              if ((value['0'] ?? 0) < 1_000_000_000) return;
              firstMs = now;
              watch = setInterval(() => performance.now() - lastMs > idleMs && finish(), 20);
            }
            updates += 1;
            lastMs = now;
            if (value[lastKey] === lastValue) finish();
          },
        },
        optional_arguments: mapOf(String, Number),
      },
    },
  },
});
