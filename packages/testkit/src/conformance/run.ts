import { TestkitError } from '@sf/core';
import type { Plugin } from '@sf/core/plugin';
import { type CheckName, type ConformanceOptions, defaultPairs, settle, type } from './options.js';
import {
  badFrame,
  closePendingSend,
  openCloseTwice,
  type PairRun,
  pauseInFlight,
  reconnect,
  repliesMatched,
  roundTrip,
} from './pair-checks.js';
import { type Cleanups, runCleanups } from './sides.js';
import { badAddresses, openCloseAlone } from './type-checks.js';

/** One check of the suite on one type or pair, ready to run. */
export interface PlannedCheck {
  /** Which check. */
  readonly check: CheckName;
  /** What it runs on: `requester → replyer`, or a type name. */
  readonly subject: string;
  /** Why it is skipped, when it is. */
  readonly skipped?: string;
  /** Runs it: resolves when it passed, rejects with what went wrong. Closes what it opened. */
  run(): Promise<void>;
}

/** The outcome of one check. */
export interface CheckResult {
  /** Which check. */
  readonly check: CheckName;
  /** What it ran on. */
  readonly subject: string;
  /** `passed`, `failed` or `skipped`. */
  readonly status: 'passed' | 'failed' | 'skipped';
  /** What went wrong, or why it was skipped. */
  readonly message?: string;
}

/** Every check's outcome for one plugin. */
export interface ConformanceReport {
  /** The plugin's name. */
  readonly plugin: string;
  /** True when no check failed. */
  readonly ok: boolean;
  /** One entry per check and subject. */
  readonly results: readonly CheckResult[];
}

/**
 * The conformance checks for `plugin`, one per check and type or peer pair, each runnable on its
 * own (what a test-framework adapter registers as tests). Real instances of the plugin's types,
 * on the addresses the options make.
 */
export function planConformance(plugin: Plugin, options: ConformanceOptions = {}): PlannedCheck[] {
  const settled = settle(options);
  const checks: PlannedCheck[] = [];
  const add = (check: CheckName, subject: string, body: (cleanups: Cleanups) => Promise<void>, applies = true): void => {
    if (!applies) return;
    checks.push({
      check,
      subject,
      ...(settled.skip[check] !== undefined && { skipped: settled.skip[check] }),
      async run() {
        const cleanups: Cleanups = [];
        let failure: unknown;
        try {
          await body(cleanups);
        } catch (error) {
          failure = error;
        }
        const problems = await runCleanups(cleanups, settled.timeoutMs);
        if (failure !== undefined) throw failure;
        if (problems.length > 0) throw new Error(`cleaning up: ${problems.join('; ')}`);
      },
    });
  };
  const pairs = options.pairs ?? defaultPairs(plugin);
  const paired = new Set(pairs.flatMap((pair) => [pair.in, pair.out]));
  for (const pair of pairs) {
    const subject = `${pair.out} → ${pair.in}`;
    const out = type(plugin, pair.out);
    const inn = type(plugin, pair.in);
    const run = (body: (run: PairRun) => Promise<void>) => async (cleanups: Cleanups) =>
      body({ plugin, pair, addresses: await settled.addresses(pair, plugin), options: settled, cleanups });
    add('open and close twice', subject, run(openCloseTwice));
    add('round trip', subject, run(roundTrip));
    add('replies matched', subject, run(repliesMatched), out.replies);
    add('bad frame', subject, run(badFrame), inn.kind === 'connection');
    add('pause with a message in flight', subject, run(pauseInFlight), inn.kind === 'connection');
    add('close with a pending send', subject, run(closePendingSend), out.kind === 'connection');
    add('reconnect after the peer restarts', subject, run(reconnect), pair.reconnects === true);
  }
  for (const [name, definition] of Object.entries(plugin.types)) {
    if (!paired.has(name)) add('open and close twice', name, (cleanups) => openCloseAlone(plugin, name, settled, cleanups));
    add(
      'addresses missing or malformed',
      name,
      (cleanups) => badAddresses(plugin, name, settled, cleanups),
      definition.addresses.length > 0,
    );
  }
  return checks;
}

/**
 * Runs the conformance suite against `plugin` (no test framework needed): every planned check in
 * turn, with an uncaught exception or unhandled rejection during a check counted as its failure.
 */
export async function runConformance(plugin: Plugin, options: ConformanceOptions = {}): Promise<ConformanceReport> {
  const results: CheckResult[] = [];
  for (const planned of planConformance(plugin, options)) {
    if (planned.skipped !== undefined) {
      results.push({ check: planned.check, subject: planned.subject, status: 'skipped', message: planned.skipped });
      continue;
    }
    const crashes: unknown[] = [];
    const onCrash = (error: unknown) => crashes.push(error);
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    let message: string | undefined;
    try {
      await planned.run();
    } catch (error) {
      message = (error as Error)?.message ?? String(error);
    } finally {
      process.off('uncaughtException', onCrash);
      process.off('unhandledRejection', onCrash);
    }
    if (message === undefined && crashes.length > 0)
      message = `the process would have crashed: ${(crashes[0] as Error)?.message ?? String(crashes[0])}`;
    results.push({
      check: planned.check,
      subject: planned.subject,
      status: message === undefined ? 'passed' : 'failed',
      ...(message !== undefined && { message }),
    });
  }
  return { plugin: plugin.name, ok: results.every((result) => result.status !== 'failed'), results };
}

/** Throws a `TestkitError` (`SF_CONFORMANCE_FAILED`) listing every failed check of `report`, one per line. */
export function assertConformance(report: ConformanceReport): void {
  const failed = report.results.filter((result) => result.status === 'failed');
  if (failed.length === 0) return;
  const lines = failed.map((result) => `  ✗ ${result.check} (${result.subject}): ${result.message}`);
  throw new TestkitError('SF_CONFORMANCE_FAILED', `${report.plugin} fails ${failed.length} conformance check(s):\n${lines.join('\n')}`, {
    hint: 'See docs/plugins.md for what each check expects',
  });
}
