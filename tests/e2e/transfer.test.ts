/**
 * Replay and export from the topic view, end to end: `logscope serve` with its real broker,
 * Debian's Chromium as the user. A paced replay shows its progress bar, pauses and resumes, and
 * reports what it sent; an export writes the file it names. Screenshots under
 * test-results/screenshots/.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshotPath } from '../support/browser';
import { startServe, temporaryDir, type ServedApp } from '../support/processes';
import { engineApi, openPage } from './browseHelpers';

const { Kafka, logLevel } = kafkajs;
let app: ServedApp;
let browser: Browser;
const TOPIC = 'e2e.transfer';
const COUNT = 300;

beforeAll(async () => {
  [app, browser] = await Promise.all([startServe(), launchChromium()]);
  const { page } = await openPage(browser, app);
  await page
    .locator('[data-testid="status"][data-state="up"]', { hasText: 'Local broker' })
    .waitFor();
  await page.close();
  const status = await engineApi<{ broker: { bootstrapServer: string | null } }>(
    app,
    'GET',
    '/status',
  );
  await engineApi(app, 'POST', '/clusters/local/topics', { name: TOPIC, partitions: 2 });
  const kafka = new Kafka({
    brokers: [status.broker.bootstrapServer!],
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic: TOPIC,
    acks: -1,
    messages: Array.from({ length: COUNT }, (_, i) => ({
      partition: i % 2,
      key: `k${i}`,
      value: JSON.stringify({ n: i }),
    })),
  });
  await producer.disconnect();
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
});
