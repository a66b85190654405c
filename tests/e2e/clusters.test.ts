/**
 * Clusters end to end against the real engine, without the local broker (`--no-broker`): add an
 * external cluster with every connection setting, test it (unreachable: a precise error), see
 * the overview's error state, edit it, and remove it after confirming.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, screenshotPath } from '../support/browser';
import { startServe, type ServedApp } from '../support/processes';
import { engineApi, openPage } from './browseHelpers';

let app: ServedApp;
let browser: Browser;

beforeAll(async () => {
  [app, browser] = await Promise.all([startServe(['--no-broker']), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  if (app) expect(await app.process.stop()).toBe(0);
});

interface SavedCluster {
  id: string;
  name: string;
  clientId?: string;
  bootstrapServers: string[];
  sasl?: { mechanism: string; username: string; hasPassword: boolean };
  tls?: { enabled: boolean; serverName?: string; rejectUnauthorized: boolean };
  warnings: string[];
}

describe('clusters', () => {
  it('adds, tests, opens, edits and removes an external cluster', async () => {
    const { page, dialogs, errors } = await openPage(browser, app);
    await page.locator('[data-testid="add-cluster"]').click();
    const form = page.locator('[data-testid="cluster-form"]');
    await form.locator('input[name="name"]').fill('Nowhere');
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    await form.locator('input[name="bootstrapServers"]').fill('127.0.0.1:1');
    await form.locator('input[name="clientId"]').fill('logscope-e2e');
    await form.locator('select[name="saslMechanism"]').selectOption('scram-sha-256');
    await form.locator('input[name="username"]').fill('alice');
    await form.locator('input[name="password"]').fill('secret-password');
    await form.locator('input[name="tlsEnabled"]').check();
    await form.locator('input[name="serverName"]').fill('kafka.example.com');
    expect(await form.locator('[data-testid="tls-warning"]').count()).toBe(0);
    await form.locator('input[name="verify"]').uncheck();
    await form.locator('[data-testid="tls-warning"]').waitFor();
    await page.screenshot({ path: await screenshotPath('clusters-01-add-form') });
    await form.getByRole('button', { name: 'Add cluster' }).click();

    const row = page.locator('[data-testid="cluster-list"] tr', { hasText: 'Nowhere' });
    await row.waitFor();
    const { clusters } = await engineApi<{ clusters: SavedCluster[] }>(app, 'GET', '/clusters');
    const saved = clusters.find((c) => c.name === 'Nowhere')!;
    expect(saved).toMatchObject({
      bootstrapServers: ['127.0.0.1:1'],
      clientId: 'logscope-e2e',
      sasl: { mechanism: 'scram-sha-256', username: 'alice', hasPassword: true },
      tls: { enabled: true, serverName: 'kafka.example.com', rejectUnauthorized: false },
    });
    // The engine warns about verification being off, and the list shows it.
    expect(saved.warnings.length).toBeGreaterThan(0);
    expect(await row.innerText()).toContain(saved.warnings[0]!);

    await row.getByRole('button', { name: 'Test' }).click();
    const result = row.locator('[data-testid="test-result"]');
    await result.waitFor();
    expect(await result.getAttribute('class')).toContain('error-text');
    expect((await result.innerText()).length).toBeGreaterThan(0);
    await page.screenshot({ path: await screenshotPath('clusters-02-test-failed') });

    // The overview of an unreachable cluster: its settings, and why there is nothing more.
    await row.locator('a').click();
    await page.getByRole('heading', { name: /Nowhere/ }).waitFor();
    await page.locator('.state-message[data-kind="error"]').waitFor();
    expect(await page.locator('dl').innerText()).toContain('scram-sha-256 as alice');
    await page.screenshot({ path: await screenshotPath('clusters-03-overview-unreachable') });

    // Edit: a new name; the stored password is kept when the field stays empty.
    await page.goto(`${app.baseUrl}clusters`);
    await row.getByRole('button', { name: 'Edit' }).click();
    await form.locator('input[name="name"]').fill('Nowhere, renamed');
    expect(await form.locator('input[name="password"]').getAttribute('placeholder')).toContain(
      'stored',
    );
    await form.getByRole('button', { name: 'Save' }).click();
    const renamed = page.locator('[data-testid="cluster-list"] tr', {
      hasText: 'Nowhere, renamed',
    });
    await renamed.waitFor();
    const after = await engineApi<SavedCluster>(app, 'GET', `/clusters/${saved.id}`);
    expect(after.name).toBe('Nowhere, renamed');
    expect(after.sasl?.hasPassword).toBe(true);

    await renamed.getByRole('button', { name: 'Remove' }).click();
    await renamed.locator('[data-testid="confirm-remove"]').click();
    await renamed.waitFor({ state: 'detached' });
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the error state of a deep link to a cluster that does not exist', async () => {
    const { page } = await openPage(browser, app, '/c/no-such-cluster/topics');
    await page.locator('.state-message[data-kind="error"]').waitFor();
    await page.screenshot({ path: await screenshotPath('clusters-04-unknown-cluster-topics') });
    await page.close();
  });
});
