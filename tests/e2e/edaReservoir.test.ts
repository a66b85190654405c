/**
 * A reservoir sample over a live tail from the Explore view: `logscope serve --demo-live`
 * keeps producing orders; the user picks "New messages (reservoir over a live tail)", tails
 * demo.orders for a few seconds, and sees the amounts of what arrived summarised like any
 * sample. Screenshots under test-results/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, screenshotPath } from '../support/browser';
import { startServe, type ServedApp } from '../support/processes';
import { openPage, topicFilled } from './browseHelpers';

let app: ServedApp;
let browser: Browser;

beforeAll(async () => {
  [app, browser] = await Promise.all([startServe(['--demo-live']), launchChromium()]);
  await topicFilled(app, 'demo.orders', 1);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.process.stop();
});

describe('reservoir over a live tail', { timeout: 120_000 }, () => {
  it('samples the orders that arrive while it tails demo.orders', async () => {
    const { page, errors } = await openPage(browser, app, '/c/local/explore?topic=demo.orders');
    await page
      .locator('#field-suggestions option[value="$.amount"]')
      .waitFor({ state: 'attached' });
    for (const remove of await page.getByRole('button', { name: /^Remove / }).all())
      await remove.click();
    await page.getByLabel('Add field').fill('$.amount');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.locator('select[name="strategy"]').selectOption('reservoir');
    await page.getByLabel('Tail duration in seconds').fill('4');
    await page.locator('input[name="size"]').fill('10');
    await page.getByRole('button', { name: 'Check' }).click();
    await page
      .getByLabel('Before sampling')
      .getByText(/Up to 10 of the messages that arrive in the next 4 s/)
      .waitFor();
    await page.screenshot({
      path: await screenshotPath('eda-reservoir-1-options'),
      fullPage: true,
    });

    await page.getByRole('button', { name: 'Sample', exact: true }).click();
    const line = page.getByText(/Sampled [\d,]+ records of [\d,]+ \(reservoir, seed/);
    await line.waitFor({ timeout: 60_000 });
    const [, kept, arrived] = /Sampled ([\d,]+) records of ([\d,]+)/.exec(
      (await line.textContent())!,
    )!;
    const keptCount = Number(kept!.replace(/,/g, ''));
    const arrivedCount = Number(arrived!.replace(/,/g, ''));
    // demo-live writes orders every half second: some arrived, and at most 10 were kept.
    expect(arrivedCount).toBeGreaterThan(0);
    expect(keptCount).toBe(Math.min(10, arrivedCount));
    const row = page.locator('.summary tbody tr', { hasText: '$.amount' });
    const cells = await row.locator('td').allTextContents();
    expect(Number(cells[1]!.replace(/,/g, '')) + Number(cells[2]!.replace(/,/g, ''))).toBe(
      keptCount,
    );
    await page.screenshot({ path: await screenshotPath('eda-reservoir-2-result'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
