/**
 * Helpers for the browse end-to-end tests: a page already holding the engine's token, calls
 * to the engine API for setup, kcat as an outside producer, and a watch for anything hostile
 * content could make the page do (dialogs, injected elements, script globals).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import kafkajs, { type Message } from 'kafkajs';
import type { Browser, Page } from 'playwright-core';
import type { ServedApp } from '../support/processes';

const { Kafka, logLevel } = kafkajs;

export const KCAT_PATH = process.env.KCAT_PATH ?? '/usr/bin/kcat';

/**
 * A new tab with the token in its sessionStorage, showing `path`, with the dialogs it opened
 * and the errors it raised or logged.
 */
export async function openPage(
  browser: Browser,
  app: ServedApp,
  path = '/clusters',
): Promise<{ page: Page; dialogs: string[]; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => errors.push(error.message));
  // The browser's own complaints too (an invalid Content-Security-Policy, a failed load).
  // An API call the engine refuses is logged by Chromium too; the tests check the page's own
  // message for those, so only a refused page resource counts here.
  page.on('console', (message) => {
    const refusedApiCall =
      message.text().startsWith('Failed to load resource') &&
      message.location().url.includes('/api/v1/');
    if (message.type() === 'error' && !refusedApiCall) errors.push(`console: ${message.text()}`);
  });
  await page.goto(app.url);
  await page.locator('[data-testid="cluster-list"]').waitFor();
  if (path !== '/clusters') await page.goto(new URL(path.replace(/^\//, ''), app.baseUrl).href);
  return { page, dialogs, errors };
}

/** A call to the engine API with the token, for test setup; throws on an error status. */
export async function engineApi<T>(
  app: ServedApp,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${app.baseUrl}api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${app.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/**
 * The local broker's bootstrap server, once the UI shows the broker up: from then on the
 * engine knows its address. The page that waited is closed again.
 */
export async function localBootstrap(browser: Browser, app: ServedApp): Promise<string> {
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
  if (!status.broker.bootstrapServer)
    throw new Error('The UI shows the local broker up, but /status names no bootstrap server.');
  return status.broker.bootstrapServer;
}

/** Produces `messages` to `topic` with kafkajs (acks from all replicas), as an outside client. */
export async function kafkajsProduce(
  bootstrap: string,
  topic: string,
  messages: Message[],
): Promise<void> {
  const kafka = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages });
  } finally {
    await producer.disconnect();
  }
}

/** Resolves once `topic` holds at least `count` messages (the demo seeder reports nothing else). */
export async function topicFilled(app: ServedApp, topic: string, count: number): Promise<void> {
  for (;;) {
    const details = await engineApi<{ partitions: { messages: number }[] }>(
      app,
      'GET',
      `/clusters/local/topics/${topic}`,
    ).catch(() => null);
    if ((details?.partitions.reduce((sum, p) => sum + p.messages, 0) ?? 0) >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 200)); // poll interval, not a wait for time
  }
}

/**
 * Produces `messages` with kcat (librdkafka), one process, as a user's own tooling would.
 * Messages are separated by a byte that none of them contains; a key, when given, is
 * separated from its value by another.
 */
export async function kcatProduce(
  bootstrap: string,
  topic: string,
  messages: { key?: Buffer | string; value: Buffer | string }[],
  options: {
    partition?: number;
    headers?: string[];
    maxBytes?: number;
    /** The most messages in one batch (librdkafka otherwise sends them all in one or two). */
    batchMessages?: number;
  } = {},
): Promise<void> {
  if (!existsSync(KCAT_PATH))
    throw new Error(
      `kcat is missing at ${KCAT_PATH}: install it with \`apt-get install -y kcat\`.`,
    );
  const MESSAGE_DELIMITER = 0x1e; // ASCII record separator
  const KEY_DELIMITER = 0x1f; // ASCII unit separator
  const keyed = messages.some((m) => m.key !== undefined);
  const parts: Buffer[] = [];
  for (const message of messages) {
    if (keyed) parts.push(Buffer.from(message.key ?? ''), Buffer.of(KEY_DELIMITER));
    parts.push(Buffer.from(message.value), Buffer.of(MESSAGE_DELIMITER));
  }
  const args = ['-P', '-b', bootstrap, '-t', topic, '-D', '\x1e', '-q'];
  if (keyed) args.push('-K', '\x1f');
  if (options.partition !== undefined) args.push('-p', String(options.partition));
  for (const header of options.headers ?? []) args.push('-H', header);
  if (options.maxBytes) {
    args.push('-X', `message.max.bytes=${options.maxBytes}`);
    args.push('-X', `batch.size=${options.maxBytes}`);
  }
  if (options.batchMessages) args.push('-X', `batch.num.messages=${options.batchMessages}`);
  const child = spawn(KCAT_PATH, args, { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  child.stdin.end(Buffer.concat(parts));
  const code = await exited;
  if (code !== 0) throw new Error(`kcat exited with ${code}: ${stderr}`);
}

/** What hostile content would leave behind if it had run or been parsed as markup. */
export async function injectionTraces(page: Page): Promise<{
  pwned: unknown;
  injected: number;
  inlineScripts: number;
  foreignImages: number;
}> {
  // A string, evaluated in the page: this file is type-checked without the DOM library.
  return page.evaluate(`({
    pwned: window.__pwned ?? null,
    injected: document.querySelectorAll('[data-injected]').length,
    inlineScripts: Array.from(document.scripts).filter((s) => !s.src).length,
    foreignImages: Array.from(document.images).filter((i) => !i.src.endsWith('/favicon.svg')).length,
  })`);
}
