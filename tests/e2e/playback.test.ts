/**
 * Playback end to end (issue 8, item 2): `logscope serve` with its real broker and demo
 * topics, Chromium as the user. From demo.sensors' topic view: open playback, chart the
 * temperature, play at ×100, see rows arrive and both charts grow, pause, jump with the
 * scrubber, play on from there, finish at max speed; and the errors a user can run into.
 * Screenshots under test-results/screenshots/playback-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshotPath } from '../support/browser';
import { startServe, type ServedApp } from '../support/processes';
import { openPage, topicFilled } from './browseHelpers';

const SENSORS = 'demo.sensors';
/** 24 devices, one reading a minute for 12 simulated hours (engine/demo/demoData.ts). */
const SENSOR_COUNT = 24 * 12 * 60;

let app: ServedApp;
let browser: Browser;

beforeAll(async () => {
  [app, browser] = await Promise.all([startServe(), launchChromium()]);
  await topicFilled(app, SENSORS, SENSOR_COUNT);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.process.stop();
});

/** Evaluated in the page (this file is type-checked without the DOM library). */
const rowTimestamps = (page: Page) =>
  page.evaluate<string[]>(
    `Array.from(document.querySelectorAll('[data-testid="message-row"] [role="gridcell"]:nth-child(3)')).map((cell) => cell.textContent)`,
  );
const chartPoints = (page: Page, name: string) =>
  page.locator(`[data-chart="${name}"]`).getAttribute('data-points').then(Number);
/** Polls the page (its CSP rules out waitForFunction's evaluated strings). */
async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(check)}`);
    await new Promise((resolve) => setTimeout(resolve, 100)); // poll interval, not a wait for time
  }
}
const playbackTime = (page: Page) =>
  page.getByTestId('playback-time').getAttribute('data-time').then(Number);
const status = (page: Page) => page.getByTestId('playback-status').getAttribute('data-status');

describe('playback', { timeout: 120_000 }, () => {
  it('plays a window of demo.sensors through the table and both charts, pauses, jumps and finishes', async () => {
    const { page, errors } = await openPage(browser, app, `/c/local/t/${SENSORS}`);
    await page.getByTestId('playback-open').click();
    await page.waitForURL(/\/t\/demo\.sensors\/playback/);
    // The default window is the last 15 minutes of the data; take the whole topic instead.
    await page.getByTestId('playback-window').waitFor();
    await page.getByRole('button', { name: 'Whole topic' }).click();
    await page.getByTestId('playback-field').fill('$.temperature');
    // The field suggestions arrive late (they sample the topic) and pick a default field: they
    // must not undo the edits not applied yet.
    await page.locator('#playback-fields option').first().waitFor({ state: 'attached' });
    expect(await page.getByTestId('playback-field').inputValue()).toBe('$.temperature');
    await page.getByRole('button', { name: 'Apply' }).click();
    await until(async () => new URL(page.url()).searchParams.get('field') === '$.temperature');
    await page.getByTestId('playback-speed').selectOption('100');
    const from = Number(new URL(page.url()).searchParams.get('from'));
    const to = Number(new URL(page.url()).searchParams.get('to'));
    // 12 simulated hours of readings.
    expect(to - from).toBeGreaterThan(11 * 3_600_000);
    expect(await status(page)).toBe('idle');

    await page.getByTestId('playback-toggle').click();
    await page.locator('[data-testid="playback-status"][data-status="playing"]').waitFor();
    await page.getByTestId('message-row').first().waitFor();
    await until(
      async () =>
        (await chartPoints(page, 'throughput')) > 2 &&
        (await chartPoints(page, 'distribution')) > 2,
    );
    await page
      .getByTestId('playback-stats')
      .getByText(/values · mean/)
      .waitFor();
    await page.screenshot({ path: await screenshotPath('playback-playing'), fullPage: true });

    // Rows arrive in playback order, never past the playback clock.
    await page.getByTestId('playback-toggle').click();
    await page.locator('[data-testid="playback-status"][data-status="paused"]').waitFor();
    const pausedAt = await playbackTime(page);
    const rows = await rowTimestamps(page);
    expect(rows.length).toBeGreaterThan(0);
    expect([...rows].sort()).toEqual(rows);
    const played = await page.getByTestId('playback-status').textContent();
    expect(played).toMatch(/Paused · [\d,]+ played of [\d,]+ in the window/);
    expect(pausedAt).toBeGreaterThan(from);

    // Jump to two thirds of the window: the charts start over there, the clock shows it.
    const target = from + Math.round(((to - from) * 2) / 3);
    await page.getByTestId('playback-scrubber').fill(String(target));
    await until(async () => (await playbackTime(page)) !== pausedAt);
    const jumpedTo = await playbackTime(page);
    // The range input snaps to its step (a thousandth of the window).
    expect(Math.abs(jumpedTo - target)).toBeLessThanOrEqual((to - from) / 1000);
    expect(await page.getByTestId('message-row').count()).toBe(0);
    await page.getByTestId('playback-toggle').click();
    await page.getByTestId('message-row').first().waitFor();
    const firstAfterJump = new Date((await rowTimestamps(page))[0]!.replace(' ', 'T')).getTime();
    expect(firstAfterJump).toBeGreaterThanOrEqual(jumpedTo - 1);
    await until(async () => (await chartPoints(page, 'distribution')) > 0);
    await page.screenshot({ path: await screenshotPath('playback-after-jump'), fullPage: true });

    // The rest at max speed, to the end.
    await page.getByTestId('playback-speed').selectOption('max');
    await page.locator('[data-testid="playback-status"][data-status="done"]').waitFor();
    expect(await playbackTime(page)).toBe(to);
    const last = await rowTimestamps(page);
    expect(new Date(last.at(-1)!.replace(' ', 'T')).getTime()).toBeLessThan(to);
    expect(new URL(page.url()).searchParams.get('speed')).toBe('max');
    await page.screenshot({ path: await screenshotPath('playback-done'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says what is wrong with a window that ends before it starts, an empty window and an unknown topic', async () => {
    const { page } = await openPage(
      browser,
      app,
      `/c/local/t/${SENSORS}/playback?from=2000000000000&to=1000000000000`,
    );
    await page.getByText('The window ends before it starts').waitFor();
    expect(await page.getByRole('button', { name: 'Apply' }).isDisabled()).toBe(true);
    // Played anyway (the URL is the user's): the engine refuses it, naming the problem.
    await page.getByTestId('playback-toggle').click();
    await page
      .getByTestId('playback-error')
      .getByText(/params\.to: the window ends before it starts/)
      .waitFor();

    await page.goto(`${app.baseUrl}c/local/t/${SENSORS}/playback?from=1000&to=2000`);
    await page.getByTestId('playback-toggle').click();
    await page
      .getByTestId('playback-error')
      .getByText(/has no messages between/)
      .waitFor();
    await page.screenshot({ path: await screenshotPath('playback-empty-window'), fullPage: true });

    await page.goto(`${app.baseUrl}c/local/t/no.such.topic/playback`);
    await page
      .locator('.state-message[data-kind="error"]')
      .getByText(/no\.such\.topic/)
      .waitFor();
    await page.close();
  });
});
