/**
 * Live charts end to end (issue 7 item 2, issue 8 item 4): `logscope serve` with its real
 * broker producing demo data live, Chromium as the user. The throughput charts' time axis
 * spans the last 15 minutes from the first point on and moves with every snapshot; zoom keeps
 * its span while the window moves; pause stops the drawing while the store keeps recording; a
 * consumer group's view charts its lag per partition and total, and the chart follows a
 * producer. The span is read back from ECharts (`data-shown-*` on the chart). Screenshots
 * under test-results/screenshots/.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshotPath } from '../support/browser';
import { startServe, type ServedApp } from '../support/processes';
import { engineApi, kcatProduce, openPage } from './browseHelpers';

const FIFTEEN_MINUTES = 15 * 60_000;
const TOPIC = 'e2e.lag';
const GROUP = 'e2e-lag-readers';

let app: ServedApp;
let browser: Browser;
let bootstrap: string;

beforeAll(async () => {
  [app, browser] = await Promise.all([startServe(['--demo-live']), launchChromium()]);
  // The broker's address is known once the engine has probed it.
  for (;;) {
    const status = await engineApi<{ broker: { bootstrapServer: string | null } }>(
      app,
      'GET',
      '/status',
    );
    if (status.broker.bootstrapServer) {
      bootstrap = status.broker.bootstrapServer;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 200)); // poll interval, not a wait for time
  }
  await engineApi(app, 'POST', '/clusters/local/topics', {
    name: TOPIC,
    partitions: 2,
    configs: {},
  });
  for (const partition of [0, 1])
    await kcatProduce(
      bootstrap,
      TOPIC,
      Array.from({ length: 30 }, (_, i) => ({ value: `m${partition}-${i}` })),
      { partition },
    );
  // The group has read 20 of each partition's 30 messages: lag 10 + 10.
  await engineApi(app, 'POST', `/clusters/local/groups/${GROUP}/offsets`, {
    topic: TOPIC,
    target: { to: 'offset', offset: 20 },
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.process.stop();
});

interface Shown {
  start: number;
  end: number;
  tick: number;
  drawnTick: number;
}

/** The chart's span and ticks, read at one instant (one by one, a redraw could fall between). */
async function shown(chart: Locator): Promise<Shown> {
  return chart.evaluate((element) => {
    const attribute = (name: string) =>
      Number((element as { getAttribute(name: string): string | null }).getAttribute(name));
    return {
      start: attribute('data-shown-start'),
      end: attribute('data-shown-end'),
      tick: attribute('data-tick'),
      drawnTick: attribute('data-drawn-tick'),
    };
  });
}

/**
 * The bit of the page's DOM these checks read, typed here because this file is type-checked
 * without the DOM library (and the page's CSP forbids evaluating strings).
 */
interface PageDom {
  document: {
    querySelector(selector: string): { getAttribute(name: string): string | null } | null;
  };
}

/** Resolves when the first chart matching `selector` shows a span for which `test` holds. */
async function spanWhere(page: Page, selector: string, test: 'shorter' | 'day'): Promise<void> {
  await page.waitForFunction(
    ([chartSelector, kind, fifteen]) => {
      const chart = (globalThis as unknown as PageDom).document.querySelector(chartSelector);
      if (!chart) return false;
      const span =
        Number(chart.getAttribute('data-shown-end')) -
        Number(chart.getAttribute('data-shown-start'));
      return kind === 'shorter' ? span < fifteen : span === 96 * fifteen;
    },
    [selector, test, FIFTEEN_MINUTES] as const,
  );
}

/** Resolves when the first chart's `attribute` (a store tick) is at least `tick`. */
async function tickAtLeast(
  page: Page,
  attribute: 'data-tick' | 'data-drawn-tick',
  tick: number,
): Promise<void> {
  await page.waitForFunction(
    ([name, least]) =>
      Number(
        (globalThis as unknown as PageDom).document
          .querySelector('.live-chart')
          ?.getAttribute(name) ?? -1,
      ) >= least,
    [attribute, tick] as const,
  );
}

describe('live charts', { timeout: 120_000 }, () => {
  it('shows throughput over a fixed 15-minute window that moves with every snapshot, with zoom and pause', async () => {
    const { page, errors } = await openPage(browser, app, '/c/local/metrics');
    await page.getByText(/Polling every/).waitFor();
    const chart = page.locator('.live-chart').first();
    await page.locator('.live-chart[data-drawn-tick]').first().waitFor();

    // From the first drawn snapshot on, the axis spans 15 minutes, however few points there are.
    const first = await shown(chart);
    expect(first.end - first.start).toBe(FIFTEEN_MINUTES);
    await tickAtLeast(page, 'data-drawn-tick', first.drawnTick + 1);
    const second = await shown(chart);
    expect(second.end).toBeGreaterThan(first.end);
    expect(second.end - second.start).toBe(FIFTEEN_MINUTES);
    await page.screenshot({ path: await screenshotPath('metrics-1-live'), fullPage: true });

    // Zoom in with the mouse wheel: a shorter span, kept as the window moves on.
    const box = (await chart.boundingBox())!;
    // At the right edge of the plot (the grid ends 20 px from the chart's edge): the zoom keeps
    // the newest instant in view.
    await page.mouse.move(box.x + box.width - 21, box.y + box.height / 2);
    for (let i = 0; i < 5; i++) await page.mouse.wheel(0, -200);
    await spanWhere(page, '.live-chart', 'shorter');
    const zoomed = await shown(chart);
    await tickAtLeast(page, 'data-drawn-tick', zoomed.drawnTick + 1);
    const moved = await shown(chart);
    expect(moved.start).toBeGreaterThan(zoomed.start);
    // The span stays the zoomed one, to the millisecond rounding of reading pixels back.
    expect(Math.abs(moved.end - moved.start - (zoomed.end - zoomed.start))).toBeLessThanOrEqual(2);
    // Hover: the values at that instant, with their unit.
    await page.mouse.move(box.x + box.width - 22, box.y + box.height / 2);
    await chart.getByText(/messages\/s: [\d.]+ msg\/s/).waitFor();
    await page.screenshot({ path: await screenshotPath('metrics-2-zoomed'), fullPage: true });

    // Pause: snapshots keep arriving, the drawing stays where it was.
    await page.getByRole('button', { name: 'Pause' }).click();
    const paused = await shown(chart);
    await tickAtLeast(page, 'data-tick', paused.tick + 2);
    const later = await shown(chart);
    expect(later.tick).toBeGreaterThan(paused.drawnTick);
    expect(later.drawnTick).toBe(paused.drawnTick);
    expect(later.end).toBe(paused.end);
    await page.getByRole('button', { name: 'Resume' }).click();
    await tickAtLeast(page, 'data-drawn-tick', later.tick);

    // The 24-hour window.
    await page.getByLabel('History window').selectOption('day');
    await page.locator('.live-chart[data-window="day"]').first().waitFor();
    // 24 hours = 96 × 15 minutes.
    await spanWhere(page, '.live-chart[data-window="day"]', 'day');
    await page.screenshot({ path: await screenshotPath('metrics-4-day'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("charts a consumer group's lag per partition and in total, following a producer", async () => {
    const { page, errors } = await openPage(browser, app, `/c/local/g/${GROUP}`);
    const lag = page.locator('[data-testid="group-lag"]');
    await lag.getByText('Total lag now 20').waitFor();
    // total + partitions 0 and 1
    await lag.locator('.live-chart[data-series="3"][data-drawn-tick]').waitFor();
    const chart = lag.locator('.live-chart');
    const before = await shown(chart);
    expect(before.end - before.start).toBe(FIFTEEN_MINUTES);

    // The legend hides a series and shows it again.
    const total = lag.locator('.live-legend button', { hasText: 'total' });
    await total.click();
    await lag.locator('.live-chart[data-drawn-series="2"]').waitFor();
    expect(await total.getAttribute('aria-pressed')).toBe('false');
    await total.click();
    await lag.locator('.live-chart[data-drawn-series="3"]').waitFor();

    await kcatProduce(
      bootstrap,
      TOPIC,
      Array.from({ length: 30 }, (_, i) => ({ value: `late-${i}` })),
      { partition: 0 },
    );
    await lag.getByText('Total lag now 50').waitFor();
    // The offsets table follows too, without anyone pressing Refresh.
    await page.locator('[data-testid="group-summary"]', { hasText: 'total lag 50' }).waitFor();
    await page.locator(`.live-chart[data-drawn-tick]`).first().waitFor();
    await page.screenshot({ path: await screenshotPath('metrics-3-group-lag'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
