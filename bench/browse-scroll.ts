/**
 * browse-scroll: frames per second while the message table scrolls through 100,000 messages of
 * one partition in Chromium, paging from the engine as it goes (issue 6, item 11). The floor is
 * the frame rate of an empty requestAnimationFrame loop in the same page and run: what the
 * browser gives at all. Reported, not asserted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { launchChromium } from '../tests/support/browser';

const MESSAGES = 100_000;
const TOPIC = 'bench.scroll';
/** Pixels scrolled per frame: 20 rows of 30 px, a fast flick held down. */
const STEP_PX = 600;
const root = process.cwd();

function startServe(): Promise<{
  child: ChildProcess;
  baseUrl: string;
  url: string;
  token: string;
}> {
  const dataDir = mkdtempSync(join(tmpdir(), 'logscope-bench-scroll-'));
  const child = spawn(
    process.execPath,
    [
      join(root, 'bin', 'logscope.js'),
      'serve',
      '--no-open',
      '--port',
      '0',
      '--broker-port',
      '0',
      '--data-dir',
      dataDir,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`logscope serve exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match =
        /^Logscope is running at (http:\/\/127\.0\.0\.1:\d+\/)#token=([0-9a-f]{64})$/.exec(line);
      if (match)
        resolve({
          child,
          baseUrl: match[1]!,
          url: `${match[1]!}#token=${match[2]!}`,
          token: match[2]!,
        });
    });
  });
}

async function api<T>(
  baseUrl: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${baseUrl}api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

async function produce(bootstrap: string): Promise<void> {
  const lines: string[] = [];
  for (let n = 0; n < MESSAGES; n++)
    lines.push(
      `customer-${n % 97}\t${JSON.stringify({ n, amount: (n * 37) % 1000, currency: 'EUR', country: 'DE' })}`,
    );
  const kcat = spawn(
    '/usr/bin/kcat',
    ['-P', '-b', bootstrap, '-t', TOPIC, '-p', '0', '-K', '\t', '-q'],
    {
      stdio: ['pipe', 'ignore', 'inherit'],
    },
  );
  const exited = new Promise<number | null>((resolve) => kcat.once('exit', resolve));
  kcat.stdin!.end(`${lines.join('\n')}\n`);
  if ((await exited) !== 0) throw new Error('kcat failed');
}

const serve = await startServe();
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(serve.url);
  await page
    .locator('[data-testid="status"][data-state="up"]', { hasText: 'Local broker' })
    .waitFor({ timeout: 120_000 });
  const status = await api<{ broker: { bootstrapServer: string } }>(
    serve.baseUrl,
    serve.token,
    'GET',
    '/status',
  );
  await api(serve.baseUrl, serve.token, 'POST', '/clusters/local/topics', {
    name: TOPIC,
    partitions: 1,
  });
  await produce(status.broker.bootstrapServer);

  // Floor: an empty frame loop, same page, same machine, same moment.
  const floor = await page.evaluate(`new Promise((resolve) => {
    let frames = 0; const start = performance.now();
    const tick = () => { frames++; if (performance.now() - start < 3000) requestAnimationFrame(tick); else resolve(frames / ((performance.now() - start) / 1000)); };
    requestAnimationFrame(tick);
  })`);

  await page.goto(`${serve.baseUrl}c/local/t/${TOPIC}/p/0`);
  await page.locator('[data-testid="message-row"][data-offset="0"]').waitFor({ timeout: 60_000 });
  // Scroll one step per frame; when the loaded window runs out the table waits for the next
  // page (those frames count too: that is what the user sees). Done when the last offset shows.
  const result = (await page.evaluate(`new Promise((resolve) => {
    const viewport = document.querySelector('[data-testid="message-viewport"]');
    const last = '[data-testid="message-row"][data-offset="${MESSAGES - 1}"]';
    const gaps = []; let previous = performance.now(); const start = previous; let frames = 0;
    const tick = (now) => {
      frames++; gaps.push(now - previous); previous = now;
      viewport.scrollTop += ${STEP_PX};
      if (document.querySelector(last) || now - start > 600000) {
        gaps.sort((a, b) => a - b);
        resolve({ frames, seconds: (now - start) / 1000, p95: gaps[Math.floor(gaps.length * 0.95)], reached: !!document.querySelector(last), rows: document.querySelectorAll('[data-testid="message-row"]').length });
      } else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })`)) as { frames: number; seconds: number; p95: number; reached: boolean; rows: number };
  if (!result.reached)
    throw new Error('the table did not reach the last message within 10 minutes');
  const fps = result.frames / result.seconds;
  console.log(
    JSON.stringify({
      bench: 'browse-scroll',
      ratio: Number((fps / (floor as number)).toFixed(3)),
      value: Number(fps.toFixed(1)),
      unit: 'frames/s',
      baseline: `empty requestAnimationFrame loop in the same page: ${(floor as number).toFixed(1)} frames/s`,
      messages: MESSAGES,
      seconds: Number(result.seconds.toFixed(1)),
      p95FrameMs: Number(result.p95.toFixed(1)),
      rowsInDom: result.rows,
    }),
  );
} finally {
  await browser.close();
  serve.child.kill('SIGTERM');
}
