/** Case 3: request/reply throughput with 8 concurrent callers and a handler awaiting 2 ms of I/O. */
import type { CaseContext } from '../case-context.js';
import { runReqRep } from '../reqrep-run.js';
import { type CaseResult, row, target } from '../results.js';
import { perSecond, ratio } from '../stats.js';

const CALLERS = 8;
const DELAY_MS = 2;

/** Measures 8 callers and the one-at-a-time baseline (1 caller) against the same replyer. */
export async function reqrepConcurrency(ctx: CaseContext): Promise<Omit<CaseResult, 'elapsedMs'>> {
  const plan = { callers: [CALLERS, 1], count: ctx.profile.concurrencyCount, warmup: 2, delayMs: DELAY_MS, concurrency: CALLERS };
  ctx.log(`request/reply with ${CALLERS} callers and a ${DELAY_MS} ms handler: framework`);
  const fw = (await runReqRep(ctx, 'framework', plan)).runs;
  ctx.log(`request/reply with ${CALLERS} callers: raw`);
  const raw = (await runReqRep(ctx, 'raw', plan)).runs;
  const rate = (runs: typeof fw, callers: number): number | null => {
    const run = runs.find((r) => r.callers === callers);
    return run ? perSecond(run.calls, run.elapsed_ms) : null;
  };
  const fw8 = rate(fw, CALLERS);
  const fw1 = rate(fw, 1);
  return {
    id: 'reqrep-concurrency',
    title: `3. Request/reply throughput, ${CALLERS} concurrent callers, handler awaits ${DELAY_MS} ms`,
    rows: [
      row(`${CALLERS} concurrent callers`, 'calls/s', fw8, rate(raw, CALLERS)),
      row('1 caller (one-at-a-time baseline)', 'calls/s', fw1, rate(raw, 1)),
      row(`${CALLERS} callers / 1 caller`, '×', ratio(fw8, fw1), ratio(rate(raw, CALLERS), rate(raw, 1))),
    ],
    targets: [target(`${CALLERS} callers ≥ 6 × one-at-a-time`, ratio(fw8, fw1), '>=', 6)],
    notes: [
      `${CALLERS} calling loops in one requester process, ${plan.count} calls each; the baseline is 1 loop against the same replyer (one call in flight, so one handled at a time; ideal ${Math.round(1000 / DELAY_MS)} calls/s).`,
      `Framework side: replyer and requester both with \`concurrency: ${CALLERS}\` (the requester keeps up to ${CALLERS} calls in flight on a pool of REQ sockets, the replyer runs up to ${CALLERS} handlers at once); the default of 1 keeps both ends to one request at a time.`,
      'Raw side: one REQ socket per caller, and a ROUTER that answers each request after its 2 ms timer, so requests overlap: what the transport allows.',
    ],
  };
}
