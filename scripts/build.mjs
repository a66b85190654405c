// Builds everything the desktop app and `logscope serve` run:
//   dist/renderer/            the UI (Vite)
//   dist/broker/cli.js        logscope-broker
//   dist/engine/cli.js        the engine process
//   dist/launcher/cli.js      logscope (serve, dump)
//   dist/engine/dump.js       logscope dump (imported by the launcher)
//   dist/electron/main.cjs    Electron main process
//   dist/electron/preload.cjs the sandboxed preload (CommonJS: sandboxed preloads cannot be ESM)
import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const { version } = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));
const only = process.argv[2]; // `node scripts/build.mjs node` skips the renderer

const nodeEntries = [
  { in: 'broker/cli.ts', out: 'broker/cli.js' },
  { in: 'engine/cli.ts', out: 'engine/cli.js' },
  { in: 'launcher/cli.ts', out: 'launcher/cli.js' },
  { in: 'engine/dump.ts', out: 'engine/dump.js' },
];
const electronEntries = [
  { in: 'electron/main/index.ts', out: 'electron/main.cjs' },
  { in: 'electron/preload/index.ts', out: 'electron/preload.cjs' },
];

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  define: { LOGSCOPE_VERSION: JSON.stringify(version) },
  absWorkingDir: root,
};

async function bundle(entries, options) {
  const missing = entries.filter((entry) => !existsSync(`${root}/${entry.in}`));
  if (missing.length > 0)
    throw new Error(`build: missing entry ${missing.map((e) => e.in).join(', ')}`);
  await Promise.all(
    entries.map((entry) =>
      esbuild({ ...common, ...options, entryPoints: [entry.in], outfile: `dist/${entry.out}` }),
    ),
  );
}

await rm(`${root}/dist/broker`, { recursive: true, force: true });
await rm(`${root}/dist/engine`, { recursive: true, force: true });
await rm(`${root}/dist/launcher`, { recursive: true, force: true });
await rm(`${root}/dist/electron`, { recursive: true, force: true });

await Promise.all([
  // Node bundles keep npm packages external: they are installed next to the app (and native
  // ones like classic-level cannot be bundled anyway).
  bundle(nodeEntries, { format: 'esm', packages: 'external' }),
  bundle(electronEntries, { format: 'cjs', packages: 'external', external: ['electron'] }),
  only === 'node'
    ? null
    : viteBuild({ configFile: `${root}/renderer/vite.config.ts`, logLevel: 'warn' }),
]);
console.log(`build: dist/ is ready (logscope ${version})`);
