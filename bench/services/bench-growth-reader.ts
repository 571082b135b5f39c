import { existsSync } from 'node:fs';
import { defineService, mapOf } from '@sf/core';
import { writeResult } from '../src/result-file.js';

/**
 * Follows bench-growth-writer.ts's state. Counts the `on_update` calls from the first that holds a
 * delta on, and writes `{updates, first_ms, last_ms, rss_mb, cpu_us}` to `out` once the value holds
 * the writer's last delta, or nothing changed for `idle_ms`. With `hold_until` (a file), the
 * snapshot's `on_update` waits until that file exists (the writer's result: every delta sent), so
 * the deltas are then taken from a backlog, as fast as this reader goes, at every state size.
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
let holdUntil: string | undefined;
let cpuAtFirst: NodeJS.CpuUsage | undefined;

/** Resolves once `file` exists (looked for every 20 ms). */
function fileAppears(file: string): Promise<void> {
  return new Promise((resolve) => {
    const look = setInterval(() => {
      if (!existsSync(file)) return;
      clearInterval(look);
      resolve();
    }, 20);
  });
}

function finish(reason: 'last' | 'idle'): void {
  if (finished) return;
  finished = true;
  clearInterval(watch);
  const cpu = process.cpuUsage(cpuAtFirst);
  const rss = process.memoryUsage().rss / 1024 / 1024;
  writeResult(out, { updates, first_ms: firstMs, last_ms: lastMs, rss_mb: rss, cpu_us: cpu.user + cpu.system, reason });
}

export default defineService({
  config_model: { required: { out: String, keys: String, count: String }, optional: { idle_ms: String, hold_until: String } },
  setup_config: (config) => {
    out = String(config.out);
    idleMs = Number(config.idle_ms ?? 1000);
    holdUntil = config.hold_until === undefined ? undefined : String(config.hold_until);
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
              if ((value['0'] ?? 0) < 1_000_000_000) {
                const hold = holdUntil;
                holdUntil = undefined;
                return hold === undefined ? undefined : fileAppears(hold);
              }
              firstMs = now;
              cpuAtFirst = process.cpuUsage();
              watch = setInterval(() => performance.now() - lastMs > idleMs && finish('idle'), 20);
            }
            updates += 1;
            lastMs = now;
            if (value[lastKey] === lastValue) finish('last');
          },
        },
        optional_arguments: mapOf(String, Number),
      },
    },
  },
});
