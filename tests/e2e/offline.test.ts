/**
 * Offline inspection end to end (issue 9): `logscope serve` with its real broker, Chromium as
 * the user. A Kafka log directory built from batches real clients encoded
 * (engine/sources/offline/testing) and a copy of it cut short are opened through the clusters
 * view's "Open Kafka files" form; then: topics → partition → messages, the segments tab with
 * file names, index entries and the damage, a sample in Explore, and a replay of the files
 * into the local broker. Screenshots under test-results/screenshots/offline-*.png.
 */
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFixtureLogDir } from '../../engine/sources/offline/testing/kafkaDirFixture';
import { launchChromium, screenshotPath } from '../support/browser';
import { startServe, temporaryDir, type ServedApp } from '../support/processes';
import { engineApi, openPage } from './browseHelpers';

let app: ServedApp;
let browser: Browser;
let fixture: string;
let damaged: string;
const SEGMENT = '00000000000000000025.log';

beforeAll(async () => {
  const dir = await temporaryDir('e2e-offline');
  fixture = join(dir, 'kafka-logs');
  damaged = join(dir, 'kafka-logs-cut-short');
  await writeFixtureLogDir(fixture);
  await cp(fixture, damaged, { recursive: true });
  // A copy cut short: the last 20 bytes of the partition's last batch are missing.
  const path = join(damaged, 'events-0', SEGMENT);
  const bytes = await readFile(path);
  await writeFile(path, bytes.subarray(0, bytes.length - 20));
  // Its .index from a longer copy of the log (an entry past the end), zero-padded after it.
  const index = join(damaged, 'events-0', SEGMENT.replace('.log', '.index'));
  const stale = Buffer.alloc(8);
  stale.writeInt32BE(900, 0);
  stale.writeInt32BE(bytes.length + 4096, 4);
  await writeFile(index, Buffer.concat([await readFile(index), stale, Buffer.alloc(64)]));
  [app, browser] = await Promise.all([startServe(['--no-demo']), launchChromium()]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (app) expect(await app.process.stop()).toBe(0);
});

/** Opens a folder through the clusters view's form; resolves with the new cluster's id. */
async function openFiles(page: Page, path: string, name: string): Promise<string> {
  await page.locator('[data-testid="add-offline-cluster"]').click();
  const form = page.locator('[data-testid="offline-cluster-form"]');
  await form.locator('input[name="path"]').fill(path);
  await form.locator('input[name="name"]').fill(name);
  await form.getByRole('button', { name: 'Open files' }).click();
  await page.locator('[data-testid="cluster-list"] tr', { hasText: name }).waitFor();
  const { clusters } = await engineApi<{ clusters: { id: string; name: string }[] }>(
    app,
    'GET',
    '/clusters',
  );
  return clusters.find((c) => c.name === name)!.id;
}

describe('offline inspection in the UI', { timeout: 120_000 }, () => {
  let copied: string;
  let cut: string;

  it('opens a folder through the form, browses topics, a partition and its messages', async () => {
    const { page, errors } = await openPage(browser, app);
    // A path that is not Kafka data is refused with the reason.
    await page.locator('[data-testid="add-offline-cluster"]').click();
    const form = page.locator('[data-testid="offline-cluster-form"]');
    await form.locator('input[name="path"]').fill(join(fixture, 'no-such-folder'));
    await form.getByRole('button', { name: 'Open files' }).click();
    const refusal = form.locator('[role="alert"]');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('no-such-folder');
    await page.screenshot({ path: await screenshotPath('offline-01-form-refused') });
    await form.getByRole('button', { name: 'Cancel' }).click();

    copied = await openFiles(page, fixture, 'Copied logs');
    await page.screenshot({ path: await screenshotPath('offline-02-cluster-added') });
    await page
      .locator('[data-testid="cluster-list"] tr', { hasText: 'Copied logs' })
      .locator('a')
      .first()
      .click();
    await page.locator('[data-testid="offline-note"]').waitFor();
    // No broker answers for files: the overview has no broker list or replication health.
    expect(await page.locator('[data-testid="broker-list"]').count()).toBe(0);
    expect(await page.locator('[data-testid="partition-health"]').count()).toBe(0);
    await page.screenshot({ path: await screenshotPath('offline-03-cluster-overview') });
    await page.locator('[data-testid="topics-link"]').click();
    const topics = page.locator('[data-testid="topic-list"]');
    await topics.locator('tr', { hasText: 'my-topic-with-dashes' }).waitFor();
    await topics.getByRole('link', { name: 'events', exact: true }).click();
    const partitions = page.locator('[data-testid="partition-list"]');
    await partitions.locator('tr[data-partition="1"]').waitFor();
    expect(await page.locator('[data-testid="damage-banner"]').count()).toBe(0);
    await page.screenshot({ path: await screenshotPath('offline-04-topic-partitions') });

    await partitions.locator('tr[data-partition="0"] a').click();
    const rows = page.locator('[data-testid="message-row"]');
    await rows.first().waitFor();
    expect(await rows.first().textContent()).toContain('{"event":"login","ok":true}');
    await page.screenshot({ path: await screenshotPath('offline-05-partition-messages') });

    await page.locator('[data-testid="segments-tab"]').click();
    const list = page.locator('[data-testid="segment-list"]');
    await list.locator('tr[data-base-offset="25"]').waitFor();
    const second = await list.locator('tr[data-base-offset="25"]').innerText();
    expect(second).toContain(SEGMENT);
    expect(second).toMatch(/\d+ \/ \d+/); // .index / .timeindex entries
    expect(await list.locator('[data-testid="damage-list"]').count()).toBe(0);
    await page.screenshot({ path: await screenshotPath('offline-06-segments'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('shows a copy cut short: banner on the topic, the damage explained on its segment', async () => {
    const { page, errors } = await openPage(browser, app);
    cut = await openFiles(page, damaged, 'Cut short');
    await page.goto(new URL(`c/${cut}/t/events`, app.baseUrl).href);
    const banner = page.locator('[data-testid="damage-banner"]');
    await banner.waitFor();
    expect(await banner.innerText()).toMatch(/partition 0[\s\S]*truncated batch[\s\S]*615/);
    await page.screenshot({ path: await screenshotPath('offline-07-topic-damage-banner') });

    await banner.getByRole('link', { name: 'Segments of partition 0' }).click();
    const damage = page.locator('[data-testid="segment-list"] [data-testid="damage-list"]');
    await damage.waitFor();
    const text = await damage.innerText();
    expect(text).toContain(join('events-0', SEGMENT));
    expect(text).toContain('reading stopped here');
    expect(text).toContain('Everything before offset 615 in this file is readable.');
    const notes = await page.locator('[data-testid="index-notes"]').innerText();
    expect(notes).toContain('.index is stale: 1 entry points past the readable end of the .log');
    expect(notes).toContain('slots after the last valid entry are zero padding');
    await page.screenshot({
      path: await screenshotPath('offline-08-segment-damage'),
      fullPage: true,
    });
    // What is before the damage still reads: the last whole batch ends at offset 614.
    await page.locator('[role="tab"]', { hasText: 'Messages' }).click();
    await page.locator('[data-testid="message-row"]').first().waitFor();
    expect(errors).toEqual([]);
  });

  it('samples the files in Explore', async () => {
    const { page, errors } = await openPage(browser, app, `/c/${copied}/explore?topic=events`);
    for (const remove of await page.getByRole('button', { name: /^Remove / }).all())
      await remove.click();
    await page.getByLabel('Add field').fill('$.n');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.locator('input[name="size"]').fill('200');
    await page.getByRole('button', { name: 'Sample', exact: true }).click();
    await page.locator('[data-chart="histogram"] canvas').first().waitFor();
    const row = page.locator('.summary tbody tr', { hasText: '$.n' });
    await row.waitFor();
    await page.screenshot({
      path: await screenshotPath('offline-09-explore-sample'),
      fullPage: true,
    });
    expect(errors).toEqual([]);
  });

  it('replays the files into the local broker', async () => {
    const { page, errors } = await openPage(browser, app, `/c/${copied}/t/events`);
    await page.locator('[data-testid="replay-open"]').click();
    // Files are read-only: the replay goes to the local broker unless told, and no import.
    const dialog = page.locator('[data-testid="replay-dialog"]');
    const target = dialog.locator('select[name="targetCluster"]');
    await target.locator('option[value="local"]').waitFor({ state: 'attached' });
    expect(await target.inputValue()).toBe('local');
    expect(await page.locator('[data-testid="import-open"]').count()).toBe(0);
    await dialog.locator('input[name="targetTopic"]').fill('restored.events');
    const create = dialog.locator('input[name="create"]');
    if (!(await create.isChecked())) await create.check();
    await dialog.getByRole('button', { name: 'Start the replay' }).click();
    const result = dialog.locator('[data-testid="replay-result"]');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.textContent()).toMatch(/Sent 632, skipped 0, failed 0/);
    await page.screenshot({ path: await screenshotPath('offline-10-replayed') });
    const restored = await engineApi<{ partitions: { highWatermark: number }[] }>(
      app,
      'GET',
      '/clusters/local/topics/restored.events',
    );
    expect(restored.partitions.map((p) => p.highWatermark)).toEqual([625, 7]);
    expect(errors).toEqual([]);
  });
});
