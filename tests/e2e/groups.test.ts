/**
 * Consumer groups end to end: `logscope serve` with its real broker, Debian's Chromium as the
 * user. The groups list shows a group with its lag; its view lists offsets per partition; the
 * reset dialog previews old → new and applies it; the group is deleted. Screenshots under
 * test-results/screenshots/.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshotPath } from '../support/browser';
import { startServe, type ServedApp } from '../support/processes';
import { engineApi, kafkajsProduce, localBootstrap, openPage } from './browseHelpers';

let app: ServedApp;
let browser: Browser;
const TOPIC = 'e2e.groups';
const GROUP = 'e2e-billing';

beforeAll(async () => {
  [app, browser] = await Promise.all([startServe(), launchChromium()]);
  const bootstrap = await localBootstrap(browser, app);
  await engineApi(app, 'POST', '/clusters/local/topics', {
    name: TOPIC,
    partitions: 2,
    configs: {},
  });
  await kafkajsProduce(
    bootstrap,
    TOPIC,
    Array.from({ length: 60 }, (_, i) => ({ partition: i % 2, value: `m${i}` })),
  );
  // A group that read 20 of the 30 messages of each partition (committed as an admin tool would).
  await engineApi(app, 'POST', `/clusters/local/groups/${GROUP}/offsets`, {
    topic: TOPIC,
    target: { to: 'offset', offset: 20 },
  });
});

afterAll(async () => {
  await browser?.close();
  expect(await app?.process.stop()).toBe(0);
});

describe('consumer groups in the UI', () => {
  it('lists the group, previews and applies a reset, and deletes the group', async () => {
    const { page, errors } = await openPage(browser, app, '/c/local');
    await page.locator('[data-testid="groups-link"]').click();
    const row = page.locator(`[data-testid="group-list"] tr[data-group="${GROUP}"]`);
    await row.waitFor();
    expect(await row.locator('td').nth(1).textContent()).toBe('Empty');
    expect(await row.locator('td').nth(4).textContent()).toBe('20');
    await page.screenshot({ path: await screenshotPath('groups-01-list') });

    await row.locator('a').click();
    const offsets = page.locator('[data-testid="group-offsets"] tbody tr');
    await offsets.first().waitFor();
    expect(await offsets.count()).toBe(2);
    expect(await offsets.first().locator('td').nth(2).textContent()).toBe('20');
    // A committed offset's topic links to the topic; the summary counts members in words.
    expect(await offsets.first().locator('td a').getAttribute('href')).toBe(
      `/c/local/t/${encodeURIComponent(TOPIC)}`,
    );
    expect(await page.locator('[data-testid="group-summary"]').innerText()).toMatch(/0 members/);

    await page.locator('[data-testid="reset-offsets-open"]').click();
    const dialog = page.locator('[data-testid="reset-offsets-dialog"]');
    await dialog.locator('select[name="target"]').selectOption('shift');
    await dialog.locator('input[name="shift"]').fill('-4');
    await dialog.locator('input[name="partitions"]').fill('1');
    await dialog.getByRole('button', { name: 'Preview' }).click();
    const preview = dialog.locator('[data-testid="reset-preview"] tbody tr');
    await preview.first().waitFor();
    expect(await preview.count()).toBe(1);
    expect(await preview.first().locator('td').allTextContents()).toEqual([TOPIC, '1', '20', '16']);
    await page.screenshot({ path: await screenshotPath('groups-02-reset-preview') });
    // The preview changed nothing.
    const before = await engineApi<{ offsets: { committed: number | null }[] }>(
      app,
      'GET',
      `/clusters/local/groups/${GROUP}`,
    );
    expect(before.offsets.map((p) => p.committed)).toEqual([20, 20]);

    await page.locator('[data-testid="reset-offsets-apply"]').click();
    await dialog.getByRole('status').waitFor();
    await page
      .locator('[data-testid="group-offsets"] tbody tr')
      .nth(1)
      .locator('td', { hasText: /^16$/ })
      .waitFor();
    await page.screenshot({ path: await screenshotPath('groups-03-reset-applied') });

    await page.getByRole('button', { name: 'Delete group' }).click();
    await page.getByRole('button', { name: 'Delete the group' }).click();
    await page
      .locator(`[data-testid="group-list"], .state-message[data-kind="empty"]`)
      .first()
      .waitFor();
    expect(await page.locator(`tr[data-group="${GROUP}"]`).count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
