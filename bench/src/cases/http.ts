/** Case 10: the HTTP front door (`http_replyer`) beside a bare fastify route with the same JSON Schema validation. */
import type { CaseContext } from '../case-context.js';
import { type HttpRun, runHttp } from '../http-run.js';
import { type CaseResult, row, target } from '../results.js';
import { medianBy, percentile, perSecond } from '../stats.js';

/** Alternates `repeats` runs per side; the framework in the framework column, the bare route in the raw column. */
export async function http(ctx: CaseContext): Promise<Omit<CaseResult, 'elapsedMs'>> {
  const { latencyCount: count, latencyWarmup: warmup, repeats } = ctx.profile;
  const runs: Record<'framework' | 'raw', HttpRun[]> = { framework: [], raw: [] };
  for (let i = 1; i <= repeats; i++) {
    ctx.log(`HTTP front door beside a bare fastify route: ${count} calls each, run ${i}/${repeats}`);
    runs.framework.push(await runHttp(ctx, 'framework', count, warmup));
    runs.raw.push(await runHttp(ctx, 'raw', count, warmup));
  }
  const rate = (run: HttpRun) => perSecond(run.latencies_us.length, run.elapsed_ms);
  const sf = medianBy(runs.framework, rate);
  const bare = medianBy(runs.raw, rate);
  const calls = row('sequential calls', 'calls/s', rate(sf), rate(bare));
  return {
    id: 'http',
    title: '10. HTTP front door (http_replyer under sf run) against a bare fastify route (raw column)',
    rows: [
      row('request/reply p50 round trip', 'µs', percentile(sf.latencies_us, 50), percentile(bare.latencies_us, 50)),
      row('request/reply p99 round trip', 'µs', percentile(sf.latencies_us, 99), percentile(bare.latencies_us, 99)),
      calls,
    ],
    targets: [target('HTTP calls/s ≥ 0.8 × a bare fastify route', calls.ratio, '>=', 0.8)],
    notes: [
      `${count.toLocaleString('en-US')} sequential POSTs of the bench order as JSON (price as a decimal string) over one keep-alive connection from the bench process, after ${warmup} warm-up calls; median of ${repeats} run(s) per side, alternating.`,
      "Framework: bench/services/bench-http.ts (an http_replyer: fastify, core's JSON forms, the model's checks, the handler, the return check). Bare: bench/raw/raw-http.mjs, one fastify route validating the body with the JSON Schema core derives from the same model (its ajv), answering the same reply.",
    ],
  };
}
