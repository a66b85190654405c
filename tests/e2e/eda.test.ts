/**
 * Explore values end to end (issue 7, item 9): `logscope serve` with its real broker and demo
 * topics, Chromium as the user. On demo.sensors: sample 5,000 temperatures, see the histogram
 * and the box plot and the values over time, compare with a full scan, export the histogram
 * and the time series as CSV; stratified by partition, the values over time per stratum. (The
 * live throughput view has its own test, metrics.test.ts.) Screenshots under
 * test-results/screenshots/.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, screenshotPath } from '../support/browser';
import { startServe, type ServedApp } from '../support/processes';
import { engineApi, openPage, topicFilled } from './browseHelpers';

const SENSORS = 'demo.sensors';
const ORDERS = 'demo.orders';
/** engine/demo/demoData.ts DEMO_ORDER_COUNT. */
const ORDER_COUNT = 50_000;
/** 24 devices, one reading a minute for 12 simulated hours (engine/demo/demoData.ts). */
const SENSOR_COUNT = 24 * 12 * 60;

let app: ServedApp;
let browser: Browser;

beforeAll(async () => {
  [app, browser] = await Promise.all([startServe(), launchChromium()]);
  await Promise.all([
    topicFilled(app, SENSORS, SENSOR_COUNT),
    topicFilled(app, ORDERS, ORDER_COUNT),
  ]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.process.stop();
});

describe('explore values', { timeout: 120_000 }, () => {
  it('samples 5,000 temperatures of demo.sensors, charts them, compares with a full scan and exports CSV', async () => {
    const { page, errors } = await openPage(browser, app, `/c/local/explore?topic=${SENSORS}`);
    // Before anything runs the page says what to do, and names the cluster (not its id).
    await page.locator('[data-testid="eda-start-hint"]').waitFor();
    await page.locator('nav[aria-label="Breadcrumbs"] a', { hasText: 'Local broker' }).waitFor();
    // Check and Sample are two buttons with room between them, not one joined pair.
    const checkBox = await page.getByRole('button', { name: 'Check' }).boundingBox();
    const sampleBox = await page.getByRole('button', { name: 'Sample', exact: true }).boundingBox();
    expect(sampleBox!.x - (checkBox!.x + checkBox!.width)).toBeGreaterThanOrEqual(4);
    // The suggested fields come from the topic's messages; pick temperature alone.
    const suggestion = page.locator('#field-suggestions option[value="$.temperature"]');
    await suggestion.waitFor({ state: 'attached' });
    for (const remove of await page.getByRole('button', { name: /^Remove / }).all())
      await remove.click();
    await page.getByLabel('Add field').fill('$.temperature');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.locator('input[name="size"]').fill('5000');
    await page.locator('input[name="seed"]').fill('42');

    await page.getByRole('button', { name: 'Check' }).click();
    const preview = page.getByLabel('Before sampling');
    await preview.getByText(/5,000 of 17,280 offsets/).waitFor();
    await page.screenshot({ path: await screenshotPath('eda-1-preview'), fullPage: true });

    await page.getByRole('button', { name: 'Sample', exact: true }).click();
    const histogram = page.locator('[data-chart="histogram"] canvas');
    await histogram.first().waitFor();
    await page.locator('[data-chart="boxplot"] canvas').first().waitFor();
    const row = page.locator('.summary tbody tr', { hasText: '$.temperature' });
    const cells = await row.locator('td').allTextContents();
    const count = (text: string) => Number(text.replaceAll(',', ''));
    expect(count(cells[1]!) + count(cells[2]!)).toBe(5000);
    expect(cells[1]).toMatch(/^\d{1,3}(,\d{3})*$/); // thousands separated, as elsewhere
    expect(cells[3]).toMatch(/^-?\d+(\.\d+)? ± \d+(\.\d+)?$/);
    // One numeric field: no scatter of it against itself, a hint to add a second instead.
    await page.locator('[data-testid="scatter-hint"]').waitFor();
    expect(await page.locator('[data-chart="scatter"]').count()).toBe(0);
    await page.screenshot({ path: await screenshotPath('eda-2-sample'), fullPage: true });

    await page.getByRole('button', { name: 'Compare with full scan' }).click();
    const comparison = page.locator('.comparison');
    await comparison.locator('tbody tr', { hasText: 'mean' }).waitFor();
    await expect(comparison.locator('h2').textContent()).resolves.toContain('17,280 messages');
    const mean = await comparison
      .locator('tbody tr', { hasText: 'mean' })
      .locator('td')
      .allTextContents();
    // Sample and exact means of demo temperatures (about 20 °C, a few glitches at −273.15).
    expect(Math.abs(Number(mean[2]) - Number(mean[3]))).toBeLessThan(Math.abs(Number(mean[3])));
    await page.screenshot({ path: await screenshotPath('eda-3-compare'), fullPage: true });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-chart="histogram"]').getByRole('button', { name: 'CSV' }).click(),
    ]);
    const csv = await readFile((await download.path())!, 'utf8');
    const lines = csv.trim().split(/\r\n/);
    expect(lines[0]).toBe('bin_low,bin_high,count');
    const total = lines.slice(1).reduce((sum, line) => sum + Number(line.split(',')[2]), 0);
    expect(total).toBe(count(cells[1]!));

    // Value over time: every sampled temperature with its record's timestamp, in time order.
    const overTime = page.locator('[data-chart="over-time"]');
    await overTime.locator('canvas').first().waitFor();
    await expect(overTime.locator('figcaption').textContent()).resolves.toContain(
      `(${count(cells[1]!).toLocaleString('en-US')} sampled records)`,
    );
    await overTime.scrollIntoViewIfNeeded();
    await page.screenshot({ path: await screenshotPath('eda-4-over-time'), fullPage: true });
    const [timeDownload] = await Promise.all([
      page.waitForEvent('download'),
      overTime.getByRole('button', { name: 'CSV' }).click(),
    ]);
    const timeLines = (await readFile((await timeDownload.path())!, 'utf8')).trim().split(/\r\n/);
    expect(timeLines[0]).toBe('timestamp,$.temperature');
    expect(timeLines).toHaveLength(count(cells[1]!) + 1);
    const times = timeLines.slice(1).map((line) => Date.parse(line.split(',')[0]!));
    expect(times.every((t, i) => i === 0 || t >= times[i - 1]!)).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('draws the values over time per stratum of a sample stratified by partition', async () => {
    const { page, errors } = await openPage(browser, app, `/c/local/explore?topic=${SENSORS}`);
    await page.locator('#field-suggestions option[value="$.temperature"]').waitFor({
      state: 'attached',
    });
    for (const remove of await page.getByRole('button', { name: /^Remove / }).all())
      await remove.click();
    await page.getByLabel('Add field').fill('$.temperature');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.locator('input[name="size"]').fill('2000');
    await page.locator('select[name="strategy"]').selectOption('stratified');
    await page.locator('select[name="strataBy"]').selectOption('partition');
    await page.getByRole('button', { name: 'Sample', exact: true }).click();
    const overTime = page.locator('[data-chart="over-time"]');
    await overTime.locator('canvas').first().waitFor();
    await expect(overTime.locator('figcaption').textContent()).resolves.toContain('per stratum');
    await page.getByLabel('Value over time style').selectOption('points');
    await overTime.locator('canvas').first().waitFor();
    await overTime.scrollIntoViewIfNeeded();
    await page.screenshot({ path: await screenshotPath('eda-5-over-time-strata'), fullPage: true });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      overTime.getByRole('button', { name: 'CSV' }).click(),
    ]);
    const lines = (await readFile((await download.path())!, 'utf8')).trim().split(/\r\n/);
    expect(lines[0]).toBe('timestamp,$.temperature,stratum');
    // Every row is coloured by its partition, and every partition of the topic is there.
    const topic = await engineApi<{ partitions: { partition: number }[] }>(
      app,
      'GET',
      `/clusters/local/topics/${SENSORS}`,
    );
    const strata = new Set(lines.slice(1).map((line) => line.split(',')[2]));
    expect([...strata].sort()).toEqual(topic.partitions.map((p) => String(p.partition)).sort());
    expect(errors).toEqual([]);
    await page.close();
  });

  it('answers what $.amount looks like in demo.orders: skewed, so log-spaced bins on a hint', async () => {
    const { page, errors } = await openPage(browser, app, `/c/local/explore?topic=${ORDERS}`);
    // The first numeric field the topic's messages suggest is picked for a new user: $.amount.
    await page.locator('.chip', { hasText: '$.amount' }).waitFor();
    await page.locator('input[name="size"]').fill('2000');
    await page.getByRole('button', { name: 'Sample', exact: true }).click();
    const histogram = page.locator('[data-chart="histogram"]');
    await histogram.locator('canvas').first().waitFor();
    // One plan line and one set of warnings: the sample's own, not the plan's again.
    expect(await page.getByLabel('Before sampling').count()).toBe(0);
    await expect(page.getByText(/has heavy tails/).count()).resolves.toBe(1);
    // Amounts span orders of magnitude: equal-width bins crowd them into the first bin.
    const hint = page.locator('[data-testid="log-bins-hint"]');
    await expect(hint.textContent()).resolves.toMatch(/span \d\.\d orders of magnitude/);
    await page.screenshot({ path: await screenshotPath('eda-5-amount-linear'), fullPage: true });

    await hint.getByRole('button', { name: 'Sample again with log-spaced bins' }).click();
    await histogram.locator('figcaption', { hasText: 'Log-spaced bins' }).waitFor();
    expect(await hint.count()).toBe(0);
    await page.screenshot({ path: await screenshotPath('eda-6-amount-log'), fullPage: true });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      histogram.getByRole('button', { name: 'CSV' }).click(),
    ]);
    const bins = (await readFile((await download.path())!, 'utf8'))
      .trim()
      .split(/\r\n/)
      .slice(1)
      .map((line) => line.split(',').map(Number) as [number, number, number]);
    expect(bins.reduce((sum, [, , count]) => sum + count, 0)).toBe(2000);
    // Every bin is the same factor wide, and no bin holds most of the values any more.
    const factor = bins[0]![1] / bins[0]![0];
    for (const [low, high] of bins) expect(high / low).toBeCloseTo(factor, 6);
    expect(Math.max(...bins.map(([, , count]) => count))).toBeLessThan(1000);
    expect(errors).toEqual([]);
    await page.close();
  });
});
