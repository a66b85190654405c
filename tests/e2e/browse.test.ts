/**
 * Browse end to end (issue 6, items 7, 9, 10): `logscope serve` with its real broker, kcat as
 * an outside producer, Debian's Chromium as the user. Drill down from the clusters to one
 * message, seek, filter, tail, produce, create and delete a topic, add a second cluster — and
 * screenshots of every view under test-results/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshotPath } from '../support/browser';
import { startServe, type ServedApp } from '../support/processes';
import { engineApi, injectionTraces, kcatProduce, localBootstrap, openPage } from './browseHelpers';

let app: ServedApp;
let browser: Browser;
let bootstrap: string;

const ORDERS = 'e2e.orders';
/** Messages kcat writes to partition 0 before `between`, and to partition 1 after it. */
const FIRST_BATCH = 150;
const SECOND_BATCH = 40;
let between: number;

beforeAll(async () => {
  [app, browser] = await Promise.all([
    startServe(['--broker-config', 'message.max.bytes=16777216']),
    launchChromium(),
  ]);
  bootstrap = await localBootstrap(browser, app);
  expect(bootstrap).toMatch(/:\d+$/);

  await engineApi(app, 'POST', '/clusters/local/topics', {
    name: ORDERS,
    partitions: 2,
    replicationFactor: 1,
    configs: { 'segment.bytes': '4096' },
  });
  await kcatProduce(
    bootstrap,
    ORDERS,
    Array.from({ length: FIRST_BATCH }, (_, n) => ({
      key: `customer-${n % 7}`,
      value: JSON.stringify({
        n,
        batch: 'first',
        amount: n * 10,
        currency: 'EUR',
        items: [{ sku: `sku-${n}`, qty: 1 }],
      }),
    })),
    // A broker rolls a segment between batches, never inside one: batches of 10 (about 1.4 KB)
    // fill several 4 KB segments, where kcat's default would send all 150 in a single batch.
    { partition: 0, headers: ['source=kcat', 'trace-id=abc123'], batchMessages: 10 },
  );
  // Every message of the first batch was written before this instant, every one of the second after.
  between = Date.now() + 1;
  await kcatProduce(
    bootstrap,
    ORDERS,
    Array.from({ length: SECOND_BATCH }, (_, n) => ({
      key: `customer-${n % 7}`,
      value: JSON.stringify({ n, batch: 'second', amount: n }),
    })),
    { partition: 1 },
  );
  // The second batch's timestamps are at or after `between` only if the clock moved on.
  expect(Date.now()).toBeGreaterThanOrEqual(between);
});

afterAll(async () => {
  await browser?.close();
  if (app) expect(await app.process.stop()).toBe(0);
});

/**
 * The rows the user sees, top to bottom. The table is virtualized: it also renders a few rows
 * beyond each edge of its viewport, and pages in earlier messages above the ones in view (keeping
 * them in place), so the rows in the DOM are not what is shown.
 */
async function rowsInView(
  page: Page,
): Promise<{ partition: string | null; offset: number; value: string }[]> {
  const box = await page.locator('[data-testid="message-viewport"]').boundingBox();
  if (!box) return [];
  const rows = await page.locator('[data-testid="message-row"]').evaluateAll((elements) =>
    elements.map((row) => {
      const { top, bottom } = row.getBoundingClientRect();
      return {
        top,
        bottom,
        partition: row.getAttribute('data-partition'),
        offset: Number(row.getAttribute('data-offset')),
        value: row.querySelector('[role="gridcell"]:nth-child(5)')?.textContent ?? '',
      };
    }),
  );
  return rows
    .filter((row) => row.bottom > box.y + 1 && row.top < box.y + box.height - 1)
    .sort((a, b) => a.top - b.top)
    .map(({ partition, offset, value }) => ({ partition, offset, value }));
}

async function rowOffsets(page: Page): Promise<number[]> {
  return (await rowsInView(page)).map((row) => row.offset);
}

async function visibleValues(page: Page): Promise<string[]> {
  return (await rowsInView(page)).map((row) => row.value);
}

describe('browsing the local broker', () => {
  it('drills down clusters → overview → topics → partitions → segments → messages → one message', async () => {
    const { page, dialogs, errors } = await openPage(browser, app);
    await page.screenshot({ path: await screenshotPath('browse-01-clusters') });

    await page.locator('tr[data-cluster="local"] a').click();
    await page.locator('[data-testid="broker-list"] tbody tr').first().waitFor();
    expect(
      await page.locator('[data-testid="broker-list"] tbody tr').count(),
    ).toBeGreaterThanOrEqual(1);
    expect(await page.locator('[data-testid="partition-health"]').innerText()).toContain(
      'fully replicated',
    );
    await page.screenshot({ path: await screenshotPath('browse-02-cluster-overview') });
    // The overview's two links sit side by side at the right, not one mid-row and one at the edge.
    const topicsBox = await page.locator('[data-testid="topics-link"]').boundingBox();
    const groupsBox = await page.locator('[data-testid="groups-link"]').boundingBox();
    expect(topicsBox && groupsBox).toBeTruthy();
    expect(groupsBox!.x - (topicsBox!.x + topicsBox!.width)).toBeLessThan(24);
    expect(Math.abs(groupsBox!.y - topicsBox!.y)).toBeLessThan(2);

    await page.locator('[data-testid="topics-link"]').click();
    const ordersRow = page.locator(`[data-testid="topic-list"] tr[data-topic="${ORDERS}"]`);
    await ordersRow.waitFor();
    expect(await ordersRow.innerText()).toContain(String(FIRST_BATCH + SECOND_BATCH));
    await page.getByRole('searchbox', { name: 'Search topics' }).fill('e2e.ord');
    expect(await page.locator('[data-testid="topic-list"] tbody tr').count()).toBe(1);
    await page.screenshot({ path: await screenshotPath('browse-03-topics') });

    await ordersRow.locator('a').click();
    await page.locator('[data-testid="partition-list"] tr[data-partition="1"]').waitFor();
    const partition0 = await page
      .locator('[data-testid="partition-list"] tr[data-partition="0"]')
      .innerText();
    expect(partition0).toContain(String(FIRST_BATCH));
    await page.screenshot({ path: await screenshotPath('browse-04-topic-partitions') });
    // A topic links to exploring its values, with the topic chosen.
    expect(await page.locator('[data-testid="explore-open"]').getAttribute('href')).toBe(
      `/c/local/explore?topic=${encodeURIComponent(ORDERS)}`,
    );

    await page.locator('[data-testid="configs-tab"]').click();
    await page.locator('[data-testid="topic-configs"] tr[data-config="segment.bytes"]').waitFor();
    expect(
      await page
        .locator('[data-testid="topic-configs"] tr[data-config="segment.bytes"]')
        .innerText(),
    ).toContain('4096');
    // Kafka's milliseconds and bytes are read beside the number: retention.ms in days.
    expect(
      await page
        .locator('[data-testid="topic-configs"] tr[data-config="retention.ms"]')
        .innerText(),
    ).toMatch(/\(\d+(\.\d)? (days?|h|min|s)\)|no limit/);
    await page.screenshot({ path: await screenshotPath('browse-05-topic-configs') });

    await page.goto(`${app.baseUrl}c/local/t/${ORDERS}/p/0?tab=segments`);
    await page.locator('[data-testid="segment-list"] tbody tr').first().waitFor();
    // 150 JSON messages in 4 KB segments make several segments; exactly one is active.
    expect(await page.locator('[data-testid="segment-list"] tbody tr').count()).toBeGreaterThan(1);
    expect(
      await page.locator('[data-testid="segment-list"] .tag', { hasText: 'active' }).count(),
    ).toBe(1);
    expect(await page.locator('[data-testid="segment-timeline"] canvas').count()).toBeGreaterThan(
      0,
    );
    await page.screenshot({ path: await screenshotPath('browse-06-partition-segments') });

    // A segment's base offset links to the messages from there.
    const secondSegment = page.locator('[data-testid="segment-list"] tbody tr').nth(1);
    const base = Number(await secondSegment.getAttribute('data-base-offset'));
    await secondSegment.locator('a').click();
    await page.locator(`[data-testid="message-row"][data-offset="${base}"]`).waitFor();
    expect((await rowOffsets(page))[0]).toBe(base);

    await page.locator(`[data-testid="message-row"][data-offset="${base + 2}"]`).click();
    const detail = page.locator('[data-testid="message-detail"]');
    await detail.waitFor();
    expect(await detail.locator('h2').innerText()).toBe(`Partition 0 · offset ${base + 2}`);
    expect(await page.locator('[data-testid="detail-key"]').innerText()).toMatch(/^customer-\d$/);
    // The JSON tree shows the value's fields; headers are listed.
    expect(await detail.innerText()).toContain('"currency": "EUR"');
    expect(await detail.innerText()).toContain('trace-id');
    await page.screenshot({ path: await screenshotPath('browse-07-message-json') });
    await detail.getByRole('tab', { name: 'Hex' }).click();
    expect(await page.locator('[data-testid="detail-value"] pre').innerText()).toMatch(
      /^00000000 {2}7b 22 6e 22/,
    );
    await page.screenshot({ path: await screenshotPath('browse-08-message-hex') });
    await detail.getByRole('tab', { name: 'Text' }).click();
    expect(await page.locator('[data-testid="detail-value"] pre').innerText()).toContain(
      `"n":${base + 2}`,
    );
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('seeks by offset, by time, to the earliest and the latest, and pages on while scrolling', async () => {
    const { page, errors } = await openPage(browser, app, `/c/local/t/${ORDERS}/p/0?offset=120`);
    await page.locator('[data-testid="message-row"][data-offset="120"]').waitFor();
    expect((await rowOffsets(page))[0]).toBe(120);
    // A deep link fills the toolbar.
    expect(await page.locator('select[name="seek"]').inputValue()).toBe('offset');

    await page.locator('select[name="seek"]').selectOption('earliest');
    await page.locator('[data-testid="seek-form"] button[type="submit"]').click();
    await page.locator('[data-testid="message-row"][data-offset="0"]').waitFor();
    expect(page.url()).not.toContain('offset=');

    // The first page holds 100 messages; scrolling to its end pages in the rest.
    const viewport = page.locator('[data-testid="message-viewport"]');
    await viewport.evaluate((element) => (element.scrollTop = element.scrollHeight));
    await page
      .locator('[data-testid="browse-status"]', { hasText: `${FIRST_BATCH} messages loaded` })
      .waitFor();
    // The table is virtualized and the rows paged in come below the ones in view: scroll on.
    await viewport.evaluate((element) => (element.scrollTop = element.scrollHeight));
    await page.locator(`[data-testid="message-row"][data-offset="${FIRST_BATCH - 1}"]`).waitFor();
    await page.screenshot({ path: await screenshotPath('browse-09-messages-scrolled') });

    await page.locator('select[name="seek"]').selectOption('latest');
    await page.locator('[data-testid="seek-form"] button[type="submit"]').click();
    await page.waitForURL(/position=latest/);
    await page.locator(`[data-testid="message-row"][data-offset="${FIRST_BATCH - 1}"]`).waitFor();

    // All partitions, from a time between the two batches: only the second batch is there.
    await page.goto(`${app.baseUrl}c/local/t/${ORDERS}?tab=messages&timestamp=${between}`);
    await page.locator('[data-testid="message-row"]').first().waitFor();
    // The virtualized rows are placed after they exist: wait until some are in view.
    await expect
      .poll(async () => (await rowsInView(page)).length, { timeout: 15_000 })
      .toBeGreaterThan(0);
    const partitions = (await rowsInView(page)).map((row) => row.partition);
    expect(new Set(partitions)).toEqual(new Set(['1']));
    expect(await page.locator('select[name="seek"]').inputValue()).toBe('timestamp');
    expect((await visibleValues(page)).every((value) => value.includes('"batch":"second"'))).toBe(
      true,
    );
    await page.screenshot({ path: await screenshotPath('browse-10-messages-by-time') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('filters with an expression and explains a bad one', async () => {
    const { page } = await openPage(browser, app, `/c/local/t/${ORDERS}?tab=messages`);
    await page.locator('[data-testid="message-row"]').first().waitFor();
    await page
      .locator('input[name="filter"]')
      .fill('value.amount > 1400 && key startsWith "customer-"');
    await page.locator('[data-testid="seek-form"] button[type="submit"]').click();
    await page.waitForURL(/filter=/);
    await page.locator('[data-testid="browse-status"]', { hasText: 'scanned' }).waitFor();
    const values = await visibleValues(page);
    // amount = n × 10 in the first batch: n 141…149 match; the second batch's amounts are < 40.
    expect(values.length).toBe(9);
    for (const value of values) expect(JSON.parse(value).amount).toBeGreaterThan(1400);
    await page.screenshot({ path: await screenshotPath('browse-11-messages-filtered') });

    await page.locator('input[name="filter"]').fill('value.amount >>> 3');
    await page.locator('[data-testid="seek-form"] button[type="submit"]').click();
    // A filter that does not parse is explained under the filter, where it is corrected, with
    // where it fails; no "Something went wrong … Try again" that would send the same filter.
    const filterError = page.locator('[data-testid="filter-error"]');
    await filterError.waitFor();
    expect(await filterError.innerText()).toMatch(/does not parse: .*character \d+/);
    expect(await filterError.innerText()).not.toContain('query.filter');
    expect(await page.locator('.state-message[data-kind="error"]').count()).toBe(0);
    await page.screenshot({ path: await screenshotPath('browse-12-filter-error') });
    await page.close();
  });

  it('tails while kcat produces, pauses without losing what arrives, and resumes', async () => {
    const topic = 'e2e.tail';
    await engineApi(app, 'POST', '/clusters/local/topics', { name: topic, partitions: 1 });
    const { page } = await openPage(browser, app, `/c/local/t/${topic}/p/0`);
    await page.locator('.state-message[data-kind="empty"]').waitFor();
    await page.locator('[data-testid="tail-toggle"]').click();
    await page.locator('.state-message', { hasText: 'Waiting for new messages' }).waitFor();

    await kcatProduce(
      bootstrap,
      topic,
      [1, 2, 3, 4, 5].map((n) => ({ value: `live ${n}` })),
    );
    await page.locator('[data-testid="message-row"]', { hasText: 'live 5' }).waitFor();
    expect(await visibleValues(page)).toEqual(['live 1', 'live 2', 'live 3', 'live 4', 'live 5']);
    await page.screenshot({ path: await screenshotPath('browse-13-tail') });

    await page.locator('[data-testid="tail-pause"]').click();
    await kcatProduce(
      bootstrap,
      topic,
      [6, 7, 8].map((n) => ({ value: `live ${n}` })),
    );
    await page.locator('[data-testid="tail-pause"]', { hasText: 'Resume (3 waiting)' }).waitFor();
    expect(await visibleValues(page)).toHaveLength(5);
    await page.locator('[data-testid="tail-pause"]').click();
    await page.locator('[data-testid="message-row"]', { hasText: 'live 8' }).waitFor();
    expect(await visibleValues(page)).toHaveLength(8);
    await page.locator('[data-testid="tail-toggle"]').click();
    await page.close();
  });

  it('produces a message from the UI, with a header, and finds it', async () => {
    const topic = 'e2e.produce';
    await engineApi(app, 'POST', '/clusters/local/topics', { name: topic, partitions: 1 });
    const { page } = await openPage(browser, app, `/c/local/t/${topic}/p/0`);
    await page.locator('[data-testid="produce-open"]').click();
    const form = page.locator('[data-testid="produce-form"]');
    await form.locator('input[name="key"]').fill('from-the-ui');
    await form.locator('textarea[name="value"]').fill('{"hello":"world","n":42}');
    await form.getByRole('button', { name: 'Add a header' }).click();
    await form.getByLabel('Header 1 name').fill('origin');
    await form.getByLabel('Header 1 value').fill('logscope');
    await page.screenshot({ path: await screenshotPath('browse-14-produce-form') });
    await form.getByRole('button', { name: 'Produce' }).click();
    await page.locator('[data-testid="produce-result"]').waitFor();
    expect(await page.locator('[data-testid="produce-result"]').innerText()).toContain(
      'partition 0 at offset 0',
    );

    await page.locator('[data-testid="seek-form"] button[type="submit"]').click();
    await page.locator('[data-testid="message-row"][data-offset="0"]').click();
    const detail = page.locator('[data-testid="message-detail"]');
    expect(await detail.innerText()).toContain('"hello": "world"');
    expect(await detail.innerText()).toContain('origin');
    expect(await page.locator('[data-testid="detail-key"]').innerText()).toBe('from-the-ui');
    await page.close();
  });

  it('creates a topic and deletes it after confirming its name', async () => {
    const topic = 'e2e.created-in-the-ui';
    const { page } = await openPage(browser, app, '/c/local/topics');
    await page.locator('[data-testid="create-topic-open"]').click();
    const form = page.locator('[data-testid="create-topic-form"]');
    await form.locator('input[name="name"]').fill(topic);
    await form.locator('input[name="partitions"]').fill('4');
    await form.locator('textarea[name="configs"]').fill('retention.ms=3600000');
    await page.screenshot({ path: await screenshotPath('browse-15-create-topic') });
    await form.getByRole('button', { name: 'Create' }).click();
    const row = page.locator(`[data-testid="topic-list"] tr[data-topic="${topic}"]`);
    await row.waitFor();
    expect(await row.locator('td').nth(1).innerText()).toBe('4');

    await row.getByRole('button', { name: `Delete ${topic}` }).click();
    const confirm = page.locator('[data-testid="delete-topic-confirm"]');
    const button = confirm.getByRole('button', { name: 'Delete the topic' });
    expect(await button.isDisabled()).toBe(true);
    await confirm.locator('input[name="confirmName"]').fill(topic);
    await page.screenshot({ path: await screenshotPath('browse-16-delete-topic') });
    await button.click();
    await row.waitFor({ state: 'detached' });
    const topics = await engineApi<{ topics: { name: string }[] }>(
      app,
      'GET',
      '/clusters/local/topics',
    );
    expect(topics.topics.map((t) => t.name)).not.toContain(topic);
    await page.close();
  });
});

describe('a second cluster', () => {
  it('adds the broker as an external Kafka cluster, tests it, browses it, and removes it', async () => {
    const { page, dialogs } = await openPage(browser, app);
    await page.locator('[data-testid="add-cluster"]').click();
    const form = page.locator('[data-testid="cluster-form"]');
    await form.locator('input[name="name"]').fill('Second broker');
    await form.locator('input[name="bootstrapServers"]').fill(bootstrap);
    await form.locator('input[name="clientId"]').fill('logscope-e2e');
    // Every setting is there; turning verification off shows the warning.
    await form.locator('select[name="saslMechanism"]').selectOption('scram-sha-512');
    await form.locator('input[name="username"]').waitFor();
    await form.locator('input[name="tlsEnabled"]').check();
    await form.locator('input[name="verify"]').uncheck();
    await form.locator('[data-testid="tls-warning"]').waitFor();
    await page.screenshot({ path: await screenshotPath('browse-17-cluster-form') });
    // This broker speaks plaintext without SASL.
    await form.locator('select[name="saslMechanism"]').selectOption('');
    await form.locator('input[name="tlsEnabled"]').uncheck();
    await form.getByRole('button', { name: 'Add cluster' }).click();

    const row = page.locator('[data-testid="cluster-list"] tr', { hasText: 'Second broker' });
    await row.waitFor();
    await row.getByRole('button', { name: 'Test' }).click();
    await row.locator('[data-testid="test-result"]').waitFor();
    expect(await row.locator('[data-testid="test-result"]').innerText()).toMatch(
      /^Connected in \d+ ms, 1 broker\.$/,
    );
    await page.screenshot({ path: await screenshotPath('browse-18-clusters-with-external') });

    await row.locator('a').click();
    await page.locator('[data-testid="broker-list"] tbody tr').first().waitFor();
    await page.locator('[data-testid="topics-link"]').click();
    await page.locator(`[data-testid="topic-list"] tr[data-topic="${ORDERS}"] a`).click();
    await page.locator('[data-testid="partition-list"] tr[data-partition="0"] a').click();
    await page.locator('[data-testid="message-row"][data-offset="0"]').waitFor();
    await page.locator('[data-testid="segments-tab"]').click();
    // Kafka's protocol has no segments: the engine says so, with the partition's size.
    await page.locator('[data-testid="segments-unsupported"]').waitFor();
    expect(await page.locator('[data-testid="segments-unsupported"]').innerText()).toMatch(
      /segments/i,
    );
    await page.screenshot({ path: await screenshotPath('browse-19-external-segments') });

    await page.goto(`${app.baseUrl}clusters`);
    await row.getByRole('button', { name: 'Remove' }).click();
    await row.locator('[data-testid="confirm-remove"]').click();
    await row.waitFor({ state: 'detached' });
    expect(dialogs).toEqual([]);
    await page.close();
  });
});

describe('hostile content (issue 6, item 9)', () => {
  it('shows markup, script, invalid UTF-8, nulls, a thousand headers and a 10 MB value as text, without running anything or freezing', async () => {
    const topic = 'e2e.hostile';
    await engineApi(app, 'POST', '/clusters/local/topics', { name: topic, partitions: 1 });
    const payloads = [
      {
        key: '<b data-injected="key">key</b>',
        value: '<img src=x onerror="window.__pwned=1;alert(1)" data-injected="img">',
      },
      { key: 'script', value: '<script data-injected="script">window.__pwned=2;alert(2)</script>' },
      {
        key: 'json',
        value: JSON.stringify({
          html: '<img src=x onerror=alert(3) data-injected=json>',
          nested: { s: '<svg onload=alert(4) data-injected=svg>' },
        }),
      },
      {
        key: Buffer.from([0xff, 0xfe, 0x3c, 0x62, 0x3e]),
        value: Buffer.from([
          0xc3, 0x28, 0xa0, 0xa1, 0x3c, 0x73, 0x63, 0x72, 0x69, 0x70, 0x74, 0x3e, 0xf0, 0x28, 0x8c,
        ]),
      },
    ];
    await kcatProduce(bootstrap, topic, payloads, {
      partition: 0,
      headers: ['x-html=<iframe src="javascript:alert(5)" data-injected="header"></iframe>'],
    });
    // A thousand headers.
    await kcatProduce(bootstrap, topic, [{ key: 'many-headers', value: 'headers' }], {
      partition: 0,
      headers: Array.from({ length: 1000 }, (_, i) => `h${i}=<i data-injected="h${i}">${i}</i>`),
    });
    // Null key and null value (a tombstone), through the engine API.
    await engineApi(app, 'POST', `/clusters/local/topics/${topic}/messages`, {
      partition: 0,
      key: null,
      value: null,
    });
    // 10 MB of markup in one value.
    const big = `<div data-injected="big">${'<img src=x onerror=alert(6)>'.repeat(360_000)}</div>`;
    expect(big.length).toBeGreaterThan(10_000_000);
    await kcatProduce(bootstrap, topic, [{ key: 'big', value: big }], {
      partition: 0,
      maxBytes: 16_000_000,
    });

    const { page, dialogs, errors } = await openPage(browser, app, `/c/local/t/${topic}/p/0`);
    await page.locator('[data-testid="message-row"][data-offset="6"]').waitFor();
    expect(await page.locator('[data-testid="message-row"]').count()).toBe(7);
    const values = await visibleValues(page);
    expect(values[0]).toContain('<img src=x onerror=');
    expect(values[1]).toContain('<script data-injected="script">');
    expect(values[5]).toBe('null');
    expect(values[6]).toContain('(preview)');
    await page.screenshot({ path: await screenshotPath('browse-20-hostile-list') });

    // Open every message, in every view of its value.
    for (let offset = 0; offset <= 5; offset++) {
      await page.locator(`[data-testid="message-row"][data-offset="${offset}"]`).click();
      const detail = page.locator('[data-testid="message-detail"]');
      await detail.locator('h2', { hasText: `offset ${offset}` }).waitFor();
      for (const tab of ['JSON', 'Text', 'Hex'])
        await detail.getByRole('tab', { name: tab }).click();
      if (offset === 2) {
        await detail.getByRole('tab', { name: 'JSON' }).click();
        expect(await detail.innerText()).toContain('"<svg onload=alert(4) data-injected=svg>"');
        await page.screenshot({ path: await screenshotPath('browse-21-hostile-json') });
      }
      // Offset 4 is the message with a thousand headers (offset 5, the tombstone, has none).
      if (offset === 4)
        expect(await page.locator('[data-testid="message-detail"]').innerText()).toContain(
          'Headers (1000)',
        );
    }

    // The 10 MB value: a preview first, then the whole value on request, shown in slices.
    await page.locator('[data-testid="message-row"][data-offset="6"]').click();
    await page.locator('[data-testid="value-truncated"]').waitFor();
    await page.getByRole('button', { name: 'Load the whole value' }).click();
    await page.locator('[data-testid="value-truncated"]').waitFor({ state: 'detached' });
    const detailValue = page.locator('[data-testid="detail-value"]');
    await detailValue.getByRole('button', { name: /Show more/ }).waitFor();
    expect((await detailValue.innerText()).length).toBeLessThan(1_000_000);
    await page.locator('[data-testid="message-detail"]').getByRole('tab', { name: 'Hex' }).click();
    expect((await detailValue.innerText()).length).toBeLessThan(1_000_000);
    await page.locator('[data-testid="message-detail"]').getByRole('tab', { name: 'JSON' }).click();
    // Still responsive: the page answers clicks and renders after all of it.
    await page.locator('[data-testid="message-row"][data-offset="0"]').click();
    await page.locator('[data-testid="message-detail"] h2', { hasText: 'offset 0' }).waitFor();
    await page.screenshot({ path: await screenshotPath('browse-22-hostile-detail') });

    // The live tail shows hostile content the same way.
    await page.locator('[data-testid="tail-toggle"]').click();
    await page.locator('.state-message', { hasText: 'Waiting for new messages' }).waitFor();
    await kcatProduce(bootstrap, topic, [
      { value: '<img src=x onerror="window.__pwned=7" data-injected="tail">' },
    ]);
    await page.locator('[data-testid="message-row"]', { hasText: 'onerror' }).waitFor();

    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    expect(await injectionTraces(page)).toEqual({
      pwned: null,
      injected: 0,
      inlineScripts: 0,
      foreignImages: 0,
    });
    await page.close();
  });
});
