import { describe, expect, it } from 'vitest';
import { assertConformance, planConformance, runConformance } from '../src/index.js';
import { describeConformance } from '../src/vitest.js';
import { loopPlugin } from './fixtures/loop-plugin.js';

describeConformance(loopPlugin(), {
  pairs: [
    { out: 'loop_requester', in: 'loop_replyer', reconnects: true },
    { out: 'loop_publisher', in: 'loop_subscriber' },
  ],
});

describe('runConformance', () => {
  it('passes a plugin that keeps the contract, and plans the checks each type applies to', async () => {
    const report = await runConformance(loopPlugin());
    expect(report.results.filter((result) => result.status !== 'passed')).toEqual([]);
    expect(report.ok).toBe(true);
    const checks = planConformance(loopPlugin()).map((planned) => `${planned.check} (${planned.subject})`);
    expect(checks).toContain('replies matched (loop_requester → loop_replyer)');
    expect(checks).not.toContain('replies matched (loop_publisher → loop_subscriber)');
    expect(checks).toContain('addresses missing or malformed (loop_publisher)');
  });

  it('fails a broken plugin with one clear message per broken rule', async () => {
    const broken = loopPlugin({
      closeTwiceThrows: true,
      swapReplies: true,
      acceptsAnyAddress: true,
      hangsPendingSends: true,
      diesOnBadFrame: true,
    });
    const report = await runConformance(broken, {
      pairs: [
        { out: 'loop_requester', in: 'loop_replyer', reconnects: true },
        { out: 'loop_publisher', in: 'loop_subscriber' },
      ],
      timeoutMs: 1500,
      skip: { 'reconnect after the peer restarts': 'not under test here' },
    });
    expect(report.ok).toBe(false);
    const failed = Object.fromEntries(
      report.results
        .filter((result) => result.status === 'failed')
        .map((result) => [`${result.check} (${result.subject})`, result.message]),
    );
    expect(failed['open and close twice (loop_requester → loop_replyer)']).toMatch(
      /a second close\(\) of loop_replyer failed: already closed \(close must be safe to call twice\)/,
    );
    expect(failed['replies matched (loop_requester → loop_replyer)']).toMatch(
      /request 1 got the reply .*"n":10.*; expected \{"n":1,"echoed":true\} \(replies mixed up between requests\)/,
    );
    expect(failed['close with a pending send (loop_requester → loop_replyer)']).toMatch(
      /the pending send settling after close\(\) did not happen within 1500 ms/,
    );
    expect(failed['addresses missing or malformed (loop_replyer)']).toMatch(
      /loop_replyer opened with missing addresses \{\}; create\(\) or open\(\) must throw/,
    );
    expect(failed['bad frame (loop_requester → loop_replyer)']).toBe(
      'an answer to (or the drop of) a bad frame did not happen within 1500 ms',
    );
    expect(failed['bad frame (loop_publisher → loop_subscriber)']).toMatch(/bad frame did not happen within 1500 ms$/);
    expect(report.results.find((result) => result.check === 'reconnect after the peer restarts')?.status).toBe('skipped');
    expect(() => assertConformance(report)).toThrow(/broken-loop fails \d+ conformance check\(s\):\n {2}✗ open and close twice/);
  });
});
