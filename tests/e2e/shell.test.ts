/**
 * End to end: `logscope serve` as a user runs it, Debian's Chromium as the user's browser.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, screenshotPath } from '../support/browser';
import { startServe, type ServedApp } from '../support/processes';

let app: ServedApp;
let browser: Browser;

beforeAll(async () => {
  [app, browser] = await Promise.all([startServe(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  if (app) expect(await app.process.stop()).toBe(0);
});

describe('the app shell', () => {
  it('shows the local broker among the clusters and takes the token out of the address bar', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(app.url);

    const localRow = page.locator('[data-testid="cluster-list"] tr[data-cluster="local"]');
    await localRow.waitFor();
    expect(await localRow.innerText()).toContain('Local broker');
    expect(page.url()).toBe(`${app.baseUrl}clusters`);
    expect(await page.evaluate('sessionStorage.getItem("logscope.token")')).toBe(app.token);

    // The status indicator sees the engine over the WebSocket and the broker through the engine.
    await page.locator('[data-testid="status"][data-state="up"]', { hasText: 'Engine' }).waitFor();
    await page
      .locator('[data-testid="status"][data-state="up"]', { hasText: 'Local broker' })
      .waitFor();
    await page.screenshot({ path: await screenshotPath('shell-clusters') });

    // A deep link survives a reload: the token stays in this tab's sessionStorage.
    await localRow.locator('a').click();
    await page.getByRole('heading', { name: /Local broker/ }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: /Local broker/ }).waitFor();
    expect(page.url()).toBe(`${app.baseUrl}c/local`);
    await page.screenshot({ path: await screenshotPath('shell-cluster-local') });
    expect(dialogs).toEqual([]);
  });

  it('tells a visitor without the token what to do instead of failing silently', async () => {
    const page = await browser.newPage();
    await page.goto(app.baseUrl);
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').innerText()).toContain('needs the engine');
  });
});
