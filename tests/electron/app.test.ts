/**
 * The desktop app end to end: the real Electron binary starts the built app (dist/electron),
 * which starts the broker and the engine as utility processes and shows the engine's page; the
 * page sees the desktop API and the demo topics.
 *
 * Where the Electron binary is missing (these machines cannot download it) the test cannot run.
 * It then says so and why: it writes one line to test-results/not-run.txt, which `npm test`
 * prints in its summary, and marks itself skipped with the same reason — never passed.
 * To run it: `npm install` with internet (electron's postinstall downloads the binary; see
 * package.json allowScripts), or point ELECTRON_OVERRIDE_DIST_PATH at an unpacked Electron.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, type ElectronApplication } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { DesktopApi } from '../../engine/api/desktop';

const root = fileURLToPath(new URL('../..', import.meta.url));
const NAME = 'electron end to end (tests/electron/app.test.ts)';

/** The Electron binary, or why there is none. */
function findElectron(): { path: string } | { missing: string } {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const binary = join(
      override,
      process.platform === 'win32'
        ? 'electron.exe'
        : process.platform === 'darwin'
          ? 'Electron.app/Contents/MacOS/Electron'
          : 'electron',
    );
    return existsSync(binary)
      ? { path: binary }
      : { missing: `ELECTRON_OVERRIDE_DIST_PATH is set but ${binary} does not exist` };
  }
  try {
    // The electron package exports the binary's path; it throws when the download never happened.
    const path = createRequire(import.meta.url)('electron') as unknown as string;
    if (existsSync(path)) return { path };
    return { missing: `the Electron binary is not installed (${path} does not exist)` };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return {
      missing:
        `the Electron binary is not installed (${reason}); it is downloaded by electron's ` +
        'postinstall, which needs the internet, or set ELECTRON_OVERRIDE_DIST_PATH',
    };
  }
}

/** Records (once per run) that this test could not run, for `npm test`'s summary. */
function reportNotRun(reason: string): void {
  const dir = join(root, 'test-results');
  const file = join(dir, 'not-run.txt');
  mkdirSync(dir, { recursive: true });
  const others = existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line && !line.startsWith(NAME))
    : [];
  writeFileSync(file, [...others, `${NAME}: could not run: ${reason}`, ''].join('\n'));
}

let app: ElectronApplication | null = null;
afterAll(async () => {
  await app?.close();
});

describe('desktop app', () => {
  it('starts the broker and the engine and shows the demo topics', async (context) => {
    const found = findElectron();
    if ('missing' in found) {
      reportNotRun(found.missing);
      context.skip(`could not run: ${found.missing}`);
      return;
    }
    for (const bundle of [
      'electron/main.cjs',
      'electron/preload.cjs',
      'broker/cli.js',
      'engine/cli.js',
    ]) {
      expect(existsSync(join(root, 'dist', bundle)), `dist/${bundle}: run \`npm run build\``).toBe(
        true,
      );
    }
    if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
      throw new Error(
        'Electron needs a display: run the tests under `xvfb-run -a` (Debian package xvfb).',
      );
    }

    // A fresh profile: its own user data (settings, window state, broker log) and any free port.
    const home = mkdtempSync(join(tmpdir(), 'logscope-electron-'));
    const userData = join(home, 'config', 'logscope');
    mkdirSync(userData, { recursive: true });
    writeFileSync(
      join(userData, 'settings.json'),
      JSON.stringify({ localBroker: { enabled: true, port: 0, dataDir: null } }),
    );
    app = await electron.launch({
      executablePath: found.path,
      args: [root],
      env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, 'config') },
      timeout: 120_000,
    });
    const page = await app.firstWindow();
    await page.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\//);
    const origin = new URL(page.url()).origin;

    // Evaluated in the page (a string: this project type-checks tests without the DOM library).
    const desktop = (await page.evaluate(`(async () => ({
      kind: window.logscope?.kind,
      endpoint: await window.logscope?.engineEndpoint(),
      node: typeof window.require,
    }))()`)) as { kind?: DesktopApi['kind']; endpoint?: { url: string }; node: string };
    expect(desktop.kind).toBe('desktop');
    expect(desktop.endpoint?.url).toBe(origin);
    expect(desktop.node).toBe('undefined');

    // The UI's route for the local cluster lists its topics, the demo topics among them.
    await page.evaluate(
      "history.pushState({}, '', '/c/local'); dispatchEvent(new PopStateEvent('popstate'))",
    );
    await page.getByText('demo.orders').first().waitFor({ timeout: 60_000 });
    await page.getByText('demo.sensors').first().waitFor({ timeout: 60_000 });
    await page.screenshot({ path: join(root, 'test-results', 'electron-demo-topics.png') });
  });
});
