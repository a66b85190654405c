// `npm start`: the desktop app where Electron can run; otherwise `logscope serve` in the browser.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

/** The Electron binary's path, or why there is none. */
function findElectron() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return { path: require('electron') };
  const packageDir = `${root}/node_modules/electron`;
  if (!existsSync(`${packageDir}/path.txt`)) {
    return { why: 'the Electron binary is not installed (it is downloaded from the internet)' };
  }
  const binary = `${packageDir}/dist/${readFileSync(`${packageDir}/path.txt`, 'utf8')}`;
  if (!existsSync(binary)) return { why: `${binary} is missing` };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { why: 'there is no display to open a window on' };
  }
  return { path: binary };
}

const electron = findElectron();
const child = electron.path
  ? spawn(electron.path, [root], { stdio: 'inherit' })
  : (console.log(
      `Logscope: desktop app unavailable (${electron.why}); starting in the browser instead.`,
    ),
    spawn(process.execPath, [`${root}/bin/logscope.js`, 'serve', ...process.argv.slice(2)], {
      stdio: 'inherit',
    }));

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
