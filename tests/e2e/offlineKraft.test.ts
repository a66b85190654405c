/**
 * KRaft metadata in the offline message browser (issue 9): a log directory holding a
 * `__cluster_metadata-0` partition assembled from Kafka's metadata record definitions
 * (engine/sources/offline/testing/kraftMetadataLog.ts) is opened in a real `logscope serve`;
 * the API carries each record decoded, the table shows one line per record by type and fields,
 * the detail a "Decoded" tree, and SCRAM credentials only as their length. A second log
 * directory, mostly NoOpRecords as a real metadata log is, is filtered by the decoded records
 * (Hide NoOpRecords, `internal.fields.name`), and the first one's KRaft snapshot is listed on
 * the segments tab. Screenshots under test-results/screenshots/offline-kraft-*.png.
 */
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KRAFT_RECORD_VALUES,
  KRAFT_RECORD_TYPE_NAMES,
  KRAFT_SNAPSHOT_RECORD_COUNT,
  KRAFT_TOPIC_ID,
  writeKraftMetadataPartition,
  writeKraftSnapshot,
} from '../../engine/sources/offline/testing/kraftMetadataLog';
import { launchChromium, screenshotPath } from '../support/browser';
import { engineClient, followJob } from '../support/engineClient';
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
/** The same records with NO_OPS NoOpRecords after the first four. */
let idleCluster: string;
const NO_OPS = 60;

beforeAll(async () => {
  const dir = await temporaryDir('e2e-offline-kraft');
  const logDir = join(dir, 'kraft-logs');
  await writeKraftMetadataPartition(logDir);
  await writeKraftSnapshot(join(logDir, '__cluster_metadata-0'), 7, 1);
  const idleLogDir = join(dir, 'idle-kraft-logs');
  await writeKraftMetadataPartition(idleLogDir, { noOpRecords: NO_OPS });
  [app, browser] = await Promise.all([startServe(['--no-demo']), launchChromium()]);
  const open = async (name: string, path: string) =>
    (await engineApi<{ id: string }>(app, 'POST', '/clusters', { kind: 'offline', name, path })).id;
  cluster = await open('KRaft metadata', logDir);
  idleCluster = await open('Idle KRaft metadata', idleLogDir);
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
      ...KRAFT_RECORD_TYPE_NAMES,
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

  it('Hide NoOpRecords leaves the records that say something; a field finds a topic', async () => {
    const { page, errors } = await openPage(
      browser,
      app,
      `/c/${idleCluster}/t/__cluster_metadata/p/0`,
    );
    const rows = page.locator('[data-testid="message-row"]');
    await rows.nth(4).waitFor();
    expect(await rows.nth(4).textContent()).toContain('NoOpRecord');
    await page.screenshot({ path: await screenshotPath('offline-kraft-06-noops') });

    await page.locator('[data-testid="hide-noops"]').click();
    await rows.nth(4).filter({ hasText: 'UserScramCredentialRecord' }).waitFor();
    expect(await page.locator('input[name="filter"]').inputValue()).toBe(
      'internal.typeName != "NoOpRecord"',
    );
    expect(await rows.count()).toBe(KRAFT_RECORD_VALUES.length);
    expect(await page.locator('[data-testid="hide-noops"]').count()).toBe(0);
    await page.screenshot({ path: await screenshotPath('offline-kraft-07-noops-hidden') });

    await page.locator('input[name="filter"]').fill('internal.fields.name == "orders"');
    await page.getByRole('button', { name: 'Go', exact: true }).click();
    // The first row was the FeatureLevelRecord: the page read again once the TopicRecord is first.
    await rows.first().filter({ hasText: 'TopicRecord name=orders' }).waitFor();
    expect(await rows.count()).toBe(1);
    await page.screenshot({ path: await screenshotPath('offline-kraft-08-topic-by-name') });
    expect(errors).toEqual([]);
  });

  it('exports only the records a decoded-record filter keeps', async () => {
    const target = { base: `${app.baseUrl}api/v1`, token: app.token };
    const { api } = engineClient(() => target);
    const path = join(await temporaryDir('e2e-kraft-export'), 'said.jsonl');
    const job = await followJob(target, () =>
      api('POST', `/clusters/${idleCluster}/topics/__cluster_metadata/exports`, {
        path,
        filter: 'internal.typeName != "NoOpRecord"',
      }),
    );
    expect(job.state).toBe('succeeded');
    // Every record the idle log holds but its NO_OPS NoOpRecords.
    expect(job.result).toMatchObject({ messages: KRAFT_RECORD_VALUES.length, path });
  });

  it('lists the KRaft snapshot on the segments tab, apart from the segments', async () => {
    const { page, errors } = await openPage(
      browser,
      app,
      `/c/${cluster}/t/__cluster_metadata/p/0?tab=segments`,
    );
    const snapshot = page.locator('[data-testid="snapshot-list"] tr[data-end-offset="7"]');
    await snapshot.waitFor();
    const text = await snapshot.innerText();
    expect(text).toContain('00000000000000000007-0000000001.checkpoint');
    expect(text).toContain(String(KRAFT_SNAPSHOT_RECORD_COUNT));
    expect(text).toContain('snapshot');
    expect(await page.locator('[data-testid="segment-list"] tr[data-base-offset]').count()).toBe(1);
    await page.screenshot({
      path: await screenshotPath('offline-kraft-09-snapshot'),
      fullPage: true,
    });
    expect(errors).toEqual([]);
  });
});
