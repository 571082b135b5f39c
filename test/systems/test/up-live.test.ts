/**
 * `sf up --ui` serves a live page; a real headless chromium (Debian's, driven by playwright-core,
 * no browser download) loads it: every service is listed, each wire of the graph carries a rate,
 * and the rates rise while the pump sends and fall back to 0 once it has finished. Without
 * chromium the file is skipped with a notice, unless SF_REQUIRE_CHROMIUM=1 (CI) makes that a
 * failure. With SF_LIVE_SCREENSHOT=<file.png> it also saves a screenshot while traffic flows
 * (README's picture: `SF_LIVE_SCREENSHOT=$PWD/docs/live-page.png`). The trace view: a known call,
 * found by its workflow id, shows a waterfall with a lane per service (SF_TRACE_SCREENSHOT=<file.png>
 * saves docs/trace-view.png).
 */
import { join } from 'node:path';
import { freePort } from '@sf/core/testing';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CHROMIUM } from '@sf/e2e';
import { ROOT } from '../src/run-sf.js';
import { spawnSf, stopAll } from '../src/sf-process.js';

afterEach(stopAll);

const INSTALL = 'apt-get install -y chromium';
if (CHROMIUM === undefined)
  console.warn(`sf up --ui in a browser: [SKIPPED: no chromium at /usr/bin/chromium; install it with: ${INSTALL}]`);

describe.runIf(CHROMIUM === undefined && process.env.SF_REQUIRE_CHROMIUM === '1')(
  'sf up --ui in a browser (required: SF_REQUIRE_CHROMIUM=1)',
  () => {
    it('finds chromium', () => {
      expect.fail(`no chromium at /usr/bin/chromium (or SF_CHROMIUM); install it with: ${INSTALL}`);
    });
  },
);

/** The rate shown under each edge of the graph, by edge id (`edge1`…); NaN where none is known yet. */
function edgeRates(page: Page): Promise<Record<string, number>> {
  return page.$$eval('#graph g.edge', (groups) =>
    Object.fromEntries(
      groups.map((group) => [group.id, Number(group.querySelector('text.sf-rate')?.getAttribute('data-rate') || Number.NaN)]),
    ),
  );
}

describe.skipIf(CHROMIUM === undefined)('sf up --ui in headless chromium', () => {
  let browser: Browser | undefined;
  afterAll(async () => browser?.close());

  it('shows every service and the graph, and the rates move while traffic flows', { timeout: 90_000 }, async () => {
    const port = await freePort();
    const sf = spawnSf(['up', '--ui', `127.0.0.1:${port}`], join(ROOT, 'test/systems/fixtures/live'));
    const [, url] = await sf.waitFor(/^sf up +\| live view at (http:\S+)$/);
    browser = await chromium.launch({ executablePath: CHROMIUM!, args: ['--no-sandbox', '--disable-gpu'] });
    const page = await browser.newPage({ viewport: { width: 1160, height: 360 } });
    await page.goto(url!);

    await expect
      .poll(() => page.locator('#services tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-service'))), {
        timeout: 15_000,
      })
      .toEqual(['counter', 'board', 'pump']);
    expect(await page.locator('#system').textContent()).toBe('live');
    expect(await page.locator('#graph g.node').count()).toBe(3);
    expect(await page.locator('#graph g.edge').count()).toBe(3);

    // While the pump sends: every wire shows a rate above 0 (ticks ≈ 50/s, total ≈ 5/s, tally ≈ 10/s).
    await expect
      .poll(async () => Object.values(await edgeRates(page)).every((rate) => rate > 0), { timeout: 30_000, interval: 250 })
      .toBe(true);
    const rateOf = async (service: string, column: 'in' | 'out') =>
      Number(await page.locator(`#services tr[data-service="${service}"] td.${column}`).textContent());
    await expect.poll(async () => (await rateOf('counter', 'in')) > 0 && (await rateOf('pump', 'out')) > 0, { timeout: 15_000 }).toBe(true);
    if (process.env.SF_LIVE_SCREENSHOT) await page.screenshot({ path: process.env.SF_LIVE_SCREENSHOT });

    // Once the pump has finished, the rates fall back to 0.
    await sf.waitFor(/^sf up +\| pump finished$/);
    await expect
      .poll(async () => Object.values(await edgeRates(page)).every((rate) => rate === 0), { timeout: 15_000, interval: 250 })
      .toBe(true);
    expect(await page.locator('#services tr[data-service="pump"] td').nth(1).textContent()).toBe('finished');

    sf.child.kill('SIGINT');
    expect(await sf.exited).toBe(0);
  });

  it('collects the spans and shows a call, found by its workflow id, as a waterfall with a lane per service', {
    timeout: 90_000,
  }, async () => {
    const port = await freePort();
    const sf = spawnSf(['up', '--ui', `127.0.0.1:${port}`], join(ROOT, 'test/systems/fixtures/traced'));
    const [, url] = await sf.waitFor(/^sf up +\| live view at (http:\S+)$/);
    const [, workflowId] = await sf.waitFor(/^caller +\| .*main finished.*"workflow_id":"([0-9a-f-]{36})"/);
    browser ??= await chromium.launch({ executablePath: CHROMIUM!, args: ['--no-sandbox', '--disable-gpu'] });
    const page = await browser.newPage({ viewport: { width: 1160, height: 620 } });
    await page.goto(url!);
    await page.locator('#workflow').fill(workflowId!);

    // One trace (main's), listed with its services; picked, its waterfall has a lane per service.
    const rows = page.locator('#traces tbody tr');
    // Each service exports its spans every second: the trace fills in as they come.
    await expect
      .poll(() => rows.evaluateAll((all) => all.map((row) => row.children[2]?.textContent)), { timeout: 20_000, interval: 250 })
      .toEqual(['caller → front → back']);
    expect(await rows.locator('td').nth(6).textContent()).toBe('error');
    await expect
      .poll(() => page.locator('#waterfall .lane').evaluateAll((lanes) => lanes.map((lane) => lane.getAttribute('data-service'))), {
        timeout: 10_000,
      })
      .toEqual(['caller', 'front', 'back']);
    const labels = await page.locator('#waterfall .label').allTextContents();
    expect(labels.filter((label) => label.startsWith('handle connection_models.in.double'))).toHaveLength(2);
    expect(labels.some((label) => label.startsWith('handle connection_models.in.double') && label.endsWith('SF_NEGATIVE'))).toBe(true);
    expect(await page.locator('#waterfall .bar.error').count()).toBeGreaterThanOrEqual(3);
    if (process.env.SF_TRACE_SCREENSHOT) await page.screenshot({ path: process.env.SF_TRACE_SCREENSHOT, fullPage: true });

    // Another id finds nothing.
    await page.locator('#workflow').fill('no-such-workflow');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(0);

    sf.child.kill('SIGINT');
    expect(await sf.exited).toBe(0);
  });
});
