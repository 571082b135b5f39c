// `@sf/testkit/vitest`: the conformance suite as vitest tests (one test per check and type or pair).
import type { Plugin } from '@sf/core/plugin';
import { describe, it } from 'vitest';
import type { ConformanceOptions } from './conformance/options.js';
import { planConformance } from './conformance/run.js';

/** Registers `describe('<plugin> conformance')` with one `it` per check; skipped checks show as skipped. */
export function describeConformance(plugin: Plugin, options: ConformanceOptions = {}): void {
  describe(`${plugin.name} conformance`, () => {
    for (const planned of planConformance(plugin, options)) {
      const title = `${planned.check} (${planned.subject})`;
      if (planned.skipped !== undefined) it.skip(`${title}: ${planned.skipped}`, () => undefined);
      else it(title, () => planned.run(), (options.timeoutMs ?? 10_000) * 6);
    }
  });
}
