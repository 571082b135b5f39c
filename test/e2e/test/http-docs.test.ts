/**
 * The docs page of an HTTP front door in a real headless chromium (Debian's, driven by
 * playwright-core, no browser download): it lists the models, "Try it out" runs one call against
 * the real `sf run` process and shows the reply. Skipped without chromium unless
 * SF_REQUIRE_CHROMIUM=1. With SF_HTTP_SCREENSHOT=<file.png> it saves the page after the call
 * (packages/conn-http/README.md's picture: `SF_HTTP_SCREENSHOT=$PWD/packages/conn-http/docs-page.png`).
 */
import { type Browser, chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { CHROMIUM, freePort, startSf } from '../src/index.js';
import { useE2eHooks } from './helpers/hooks.js';

const temp = useE2eHooks();

describe.runIf(CHROMIUM === undefined && process.env.SF_REQUIRE_CHROMIUM === '1')(
  'HTTP docs page (required: SF_REQUIRE_CHROMIUM=1)',
  () => {
    it('finds chromium', () => {
      expect.fail('no chromium at /usr/bin/chromium (or SF_CHROMIUM); install it with: apt-get install -y chromium');
    });
  },
);

describe.skipIf(CHROMIUM === undefined)('the HTTP docs page in headless chromium', () => {
  let browser: Browser | undefined;
  afterAll(async () => browser?.close());

  it('lists the models, and "Try it out" runs a call and shows its reply', { timeout: 90_000 }, async () => {
    const port = await freePort();
    const http = { http: `127.0.0.1:${port}` };
    const addresses = await temp.addresses({ connections: { in: { echo: http, place: http, secure: http, keyed: http } } });
    await startSf(['-s', 'http-front.ts', '-a', addresses]).ready();

    browser = await chromium.launch({ executablePath: CHROMIUM!, args: ['--no-sandbox', '--disable-gpu'] });
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.goto(`http://127.0.0.1:${port}/docs/`);
    const place = page.locator('#operations-default-place');
    await expect.poll(() => place.count(), { timeout: 20_000 }).toBe(1);
    expect(await page.locator('.opblock-summary-path').allTextContents()).toEqual(
      expect.arrayContaining(['/echo', '/orders/place', '/secure', '/keyed'].map((path) => expect.stringContaining(path))),
    );

    await place.locator('.opblock-summary').click();
    const tryIt = place.locator('button.try-out__btn');
    if ((await tryIt.count()) > 0 && (await tryIt.textContent())?.includes('Try it out')) await tryIt.click();
    await place.locator('textarea.body-param__text').fill('{"order_id": "A1"}');
    await place.locator('button.execute').click();
    const body = place.locator('.live-responses-table .response-col_description pre');
    await expect.poll(async () => (await body.allTextContents()).join(''), { timeout: 20_000 }).toContain('"order_no": 7');
    expect(await place.locator('.live-responses-table .response .response-col_status').first().textContent()).toContain('200');
    if (process.env.SF_HTTP_SCREENSHOT) {
      await place.scrollIntoViewIfNeeded();
      await page.screenshot({ path: process.env.SF_HTTP_SCREENSHOT, fullPage: false });
    }
  });
});
