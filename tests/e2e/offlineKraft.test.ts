/**
 * KRaft metadata in the offline message browser (issue 9): a log directory holding a
 * `__cluster_metadata-0` partition assembled from Kafka's metadata record definitions
 * (engine/sources/offline/testing/kraftMetadataLog.ts) is opened in a real `logscope serve`;
 * the API carries each record decoded, the table shows one line per record by type and fields,
 * the detail a "Decoded" tree, and SCRAM credentials only as their length. Screenshots under
 * test-results/screenshots/offline-kraft-*.png.
 */
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KRAFT_RECORD_VALUES,
  KRAFT_TOPIC_ID,
  writeKraftMetadataPartition,
} from '../../engine/sources/offline/testing/kraftMetadataLog';
import { launchChromium, screenshotPath } from '../support/browser';
import { startServe, temporaryDir, type ServedApp } from '../support/processes';
import { engineApi, openPage } from './browseHelpers';

interface MessageOut {
  offset: number;
  valueSize: number;
  value: string | null;
  internal?: { summary: string; redacted: boolean; decoded: Record<string, unknown> };
}

let app: ServedApp;
let browser: Browser;
let cluster: string;

beforeAll(async () => {
  const logDir = join(await temporaryDir('e2e-offline-kraft'), 'kraft-logs');
  await writeKraftMetadataPartition(logDir);
  [app, browser] = await Promise.all([startServe(['--no-demo']), launchChromium()]);
  cluster = (
    await engineApi<{ id: string }>(app, 'POST', '/clusters', {
      kind: 'offline',
      name: 'KRaft metadata',
      path: logDir,
    })
  ).id;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (app) expect(await app.process.stop()).toBe(0);
});

describe('__cluster_metadata records in the offline browser', { timeout: 120_000 }, () => {
  it('the messages API carries each record decoded, and no SCRAM key bytes', async () => {
    const page = await engineApi<{ messages: MessageOut[] }>(
      app,
      'GET',
      `/clusters/${cluster}/topics/__cluster_metadata/messages?partition=0&position=earliest`,
    );
    expect(page.messages.map((m) => m.internal?.summary.split(' ')[0])).toEqual([
      'FeatureLevelRecord',
      'RegisterBrokerRecord',
      'TopicRecord',
      'PartitionRecord',
      'UserScramCredentialRecord',
      'PartitionChangeRecord',
      'TopicRecord',
    ]);
    expect(page.messages[2]!.internal).toMatchObject({
      summary: `TopicRecord name=orders topicId=${KRAFT_TOPIC_ID}`,
      redacted: false,
      decoded: { typeName: 'TopicRecord', fields: { name: 'orders', topicId: KRAFT_TOPIC_ID } },
    });
    const scram = page.messages[4]!;
    expect(scram.value).toBeNull();
    expect(scram).toMatchObject({ valueSize: KRAFT_RECORD_VALUES[4]!.length });
    expect(scram.internal).toMatchObject({
      redacted: true,
      decoded: { fields: { storedKey: { redacted: true, length: 32 } } },
    });
    expect(JSON.stringify(page)).not.toContain(Buffer.alloc(32, 0xaa).toString('base64'));
    // One message alone (the detail's "load whole" path) is decoded the same way.
    const one = await engineApi<MessageOut>(
      app,
      'GET',
      `/clusters/${cluster}/topics/__cluster_metadata/partitions/0/messages/2`,
    );
    expect(one.internal?.summary).toBe(page.messages[2]!.internal!.summary);
  });

  it('shows one line per record in the table and the decoded fields in the detail', async () => {
    const { page, errors } = await openPage(browser, app, `/c/${cluster}/t/__cluster_metadata/p/0`);
    const rows = page.locator('[data-testid="message-row"]');
    await rows.nth(6).waitFor();
    expect(await rows.nth(2).textContent()).toContain(
      `TopicRecord name=orders topicId=${KRAFT_TOPIC_ID}`,
    );
    expect(await rows.nth(5).textContent()).toContain('PartitionChangeRecord');
    expect(await rows.nth(4).textContent()).toContain('storedKey=<32 bytes, not shown>');
    await page.screenshot({ path: await screenshotPath('offline-kraft-01-table') });

    await rows.nth(1).click();
    const decoded = page.locator('[data-testid="detail-decoded"]');
    await decoded.waitFor();
    const text = await decoded.innerText();
    expect(text).toContain('RegisterBrokerRecord · version 3');
    expect(text).toContain('PLAINTEXT');
    expect(text).toContain('localhost');
    expect(text).toContain('9092');
    await page.screenshot({ path: await screenshotPath('offline-kraft-02-detail-broker') });

    await rows.nth(4).click();
    await page.locator('[data-testid="detail-decoded"]', { hasText: 'UserScram' }).waitFor();
    expect(await decoded.innerText()).toContain('length');
    await page.screenshot({ path: await screenshotPath('offline-kraft-03-detail-scram') });
    await page.getByRole('tab', { name: 'Hex' }).click();
    await page.locator('[data-testid="value-redacted"]').waitFor();
    await page.screenshot({ path: await screenshotPath('offline-kraft-04-detail-scram-hex') });

    await rows.nth(6).click();
    await page.locator('[data-testid="detail-decoded"]', { hasText: 'version 7' }).waitFor();
    expect(await decoded.innerText()).toContain(
      'version 7 of TopicRecord is newer than this reader knows',
    );
    await page.screenshot({ path: await screenshotPath('offline-kraft-05-detail-newer') });
    expect(errors).toEqual([]);
  });
});
