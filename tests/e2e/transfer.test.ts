/**
 * Replay and export from the topic view, end to end: `logscope serve` with its real broker,
 * Debian's Chromium as the user. A paced replay shows its progress bar, pauses and resumes, and
 * reports what it sent; an export writes the file it names; an export of a time range is
 * downloaded through the browser and imported into another topic from that file (checked first,
 * bad lines listed, nothing in before the confirmation), where the browser shows the messages.
 * Screenshots under test-results/screenshots/.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshotPath } from '../support/browser';
import { startServe, temporaryDir, type ServedApp } from '../support/processes';
import { engineApi, kafkajsProduce, localBootstrap, openPage } from './browseHelpers';

let app: ServedApp;
let browser: Browser;
const TOPIC = 'e2e.transfer';
const COUNT = 300;
const T0 = Date.UTC(2026, 0, 2, 10, 0, 0);

beforeAll(async () => {
  [app, browser] = await Promise.all([startServe(), launchChromium()]);
  const bootstrap = await localBootstrap(browser, app);
  await engineApi(app, 'POST', '/clusters/local/topics', { name: TOPIC, partitions: 2 });
  await kafkajsProduce(
    bootstrap,
    TOPIC,
    Array.from({ length: COUNT }, (_, i) => ({
      partition: i % 2,
      key: `k${i}`,
      value: JSON.stringify({ n: i }),
      timestamp: String(T0 + i * 1000),
    })),
  );
});

afterAll(async () => {
  await browser?.close();
  if (app) expect(await app.process.stop()).toBe(0);
});

describe('replay and export in the UI', () => {
  it('replays at a pace with a progress bar, pause and resume, then reports what it sent', async () => {
    const { page, errors } = await openPage(browser, app, `/c/local/t/${TOPIC}`);
    await page.locator('[data-testid="replay-open"]').click();
    const dialog = page.locator('[data-testid="replay-dialog"]');
    await dialog.locator('input[name="targetTopic"]').fill('e2e.transfer.copy');
    await dialog.locator('select[name="pace"]').selectOption('rate');
    await dialog.locator('input[name="rate"]').fill('100');
    await dialog.getByRole('button', { name: 'Start the replay' }).click();
    const progress = dialog.locator('[data-testid="job-progress"]');
    await progress.waitFor();
    await dialog.getByRole('button', { name: 'Pause' }).click();
    await dialog.locator('[data-testid="job-progress"][data-state="paused"]').waitFor();
    await page.screenshot({ path: await screenshotPath('transfer-01-replay-paused') });
    await dialog.getByRole('button', { name: 'Resume' }).click();
    const result = dialog.locator('[data-testid="replay-result"]');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.textContent()).toMatch(/Sent 300, skipped 0, failed 0\s+\(topic created\)/);
    await page.screenshot({ path: await screenshotPath('transfer-02-replay-done') });
    const copy = await engineApi<{ partitions: { highWatermark: number }[] }>(
      app,
      'GET',
      '/clusters/local/topics/e2e.transfer.copy',
    );
    expect(copy.partitions.map((p) => p.highWatermark)).toEqual([150, 150]);
    expect(errors).toEqual([]);
  });

  it('exports the filtered topic to the file named', async () => {
    const file = join(await temporaryDir('e2e-export'), 'out.jsonl');
    const { page, errors } = await openPage(browser, app, `/c/local/t/${TOPIC}`);
    await page.locator('[data-testid="export-open"]').click();
    const dialog = page.locator('[data-testid="export-dialog"]');
    await dialog.locator('input[name="path"]').fill(file);
    await dialog.locator('input[name="filter"]').fill('partition == 1');
    await dialog.getByRole('button', { name: 'Start the export' }).click();
    const result = dialog.locator('[data-testid="export-result"]');
    await result.waitFor();
    expect(await result.textContent()).toContain(`150 messages written to ${file}`);
    await page.screenshot({ path: await screenshotPath('transfer-03-export-done') });
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(150);
    expect(lines.every((l) => JSON.parse(l).partition === 1)).toBe(true);
    expect(errors).toEqual([]);
  });
  it('downloads an exported time range, and imports the file into another topic after checking it', async () => {
    const dir = await temporaryDir('e2e-download');
    const { page, errors } = await openPage(browser, app, `/c/local/t/${TOPIC}`);
    await page.locator('[data-testid="export-open"]').click();
    const dialog = page.locator('[data-testid="export-dialog"]');
    // Messages 100 to 199 by time (datetime-local is the browser's local time).
    const local = (ms: number) =>
      new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
    await dialog.locator('input[name="from"]').fill(local(T0 + 100_000));
    await dialog.locator('input[name="to"]').fill(local(T0 + 200_000));
    await dialog.getByRole('button', { name: 'Start the export' }).click();
    const result = dialog.locator('[data-testid="export-result"]');
    await result.waitFor();
    expect(await result.textContent()).toMatch(/100 messages\s+exported \([\d,]+ bytes\)/);
    await page.screenshot({ path: await screenshotPath('transfer-04-export-for-download') });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.locator('[data-testid="export-download"]').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^e2e\.transfer-.+\.jsonl$/);
    const file = join(dir, download.suggestedFilename());
    await download.saveAs(file);
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l).value).sort()).toEqual(
      Array.from({ length: 100 }, (_, i) => JSON.stringify({ n: 100 + i })).sort(),
    );
    // The link worked once: asked again, it opens nothing.
    expect(download.url()).toMatch(/\/api\/v1\/downloads\//);
    expect((await fetch(download.url())).status).toBe(404);

    await engineApi(app, 'POST', '/clusters/local/topics', { name: 'e2e.imported', partitions: 2 });
    await page.goto(new URL('c/local/t/e2e.imported', app.baseUrl).href);
    await page.locator('[data-testid="import-open"]').click();
    const importer = page.locator('[data-testid="import-dialog"]');

    // A file with bad lines: every one listed with its line number; nothing imported.
    const bad = join(dir, 'bad.jsonl');
    await writeFile(bad, [lines[0], '{"value": 1', lines[1], '{"partition": 9}', ''].join('\n'));
    await importer.locator('input[name="file"]').setInputFiles(bad);
    await importer.getByRole('button', { name: 'Check the file' }).click();
    const check = importer.locator('[data-testid="import-check"]');
    await check.waitFor();
    expect(await check.locator('p[role="status"]').textContent()).toMatch(
      /4\s+lines:\s+2 valid,\s+2 invalid\. Nothing has been imported yet\./,
    );
    const problems = (
      await importer.locator('[data-testid="import-problems"] tbody tr').allInnerTexts()
    ).map((text) => text.replace(/\s+/g, ' '));
    expect(problems).toEqual([
      expect.stringMatching(/^2 not valid JSON/),
      expect.stringMatching(/^4 partition 9 does not exist \(the topic has 2\)/),
    ]);
    expect(await importer.locator('[data-testid="import-confirm"]').isDisabled()).toBe(true);
    await page.screenshot({ path: await screenshotPath('transfer-05-import-bad-lines') });
    const untouched = await engineApi<{ partitions: { highWatermark: number }[] }>(
      app,
      'GET',
      '/clusters/local/topics/e2e.imported',
    );
    expect(untouched.partitions.map((p) => p.highWatermark)).toEqual([0, 0]);

    // The downloaded file: all good; imported only on confirmation.
    await importer.locator('input[name="file"]').setInputFiles(file);
    await importer.getByRole('button', { name: 'Check the file' }).click();
    await check.waitFor();
    expect(await check.locator('p[role="status"]').textContent()).toMatch(
      /100\s+lines:\s+100 valid,\s+0 invalid/,
    );
    await page.screenshot({ path: await screenshotPath('transfer-06-import-checked') });
    await importer.locator('[data-testid="import-confirm"]').click();
    const imported = importer.locator('[data-testid="import-result"]');
    await imported.waitFor();
    expect(await imported.textContent()).toContain('Imported 100 messages into e2e.imported');
    // The topic view counts them at once.
    await page.getByText('2 partitions · 100 messages').waitFor();
    await page.screenshot({ path: await screenshotPath('transfer-07-import-done') });

    // The browser shows them in the new topic, with the original partitions and timestamps.
    await page.goto(new URL('c/local/t/e2e.imported?tab=messages', app.baseUrl).href);
    const rows = page.locator('[data-testid="message-row"]');
    await rows.first().waitFor();
    await page.screenshot({ path: await screenshotPath('transfer-08-imported-messages') });
    const after = await engineApi<{ partitions: { highWatermark: number }[] }>(
      app,
      'GET',
      '/clusters/local/topics/e2e.imported',
    );
    expect(after.partitions.map((p) => p.highWatermark)).toEqual([50, 50]);
    // Earliest first, merged by time: the first line exported is the first row.
    const first = await rows.first().innerText();
    expect(first).toContain('k100');
    expect(first).toContain('{"n":100}');
    expect(errors).toEqual([]);
  });
});
