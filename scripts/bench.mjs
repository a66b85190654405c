// `npm run bench [-- NAME…]`: runs bench/*.ts (all, or those whose name starts with a NAME),
// each bundled with esbuild and run in its own Node process. Every benchmark prints JSON lines
// `{"bench", "ratio", "value", "unit", "baseline"}` measuring its subject against its physical
// floor in the same run (DESIGN.md, "Performance method"). Lines are also saved to
// bench-results/latest.jsonl.
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const filters = process.argv.slice(2);
const benches = readdirSync(join(root, 'bench'))
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.startsWith('_'))
  .map((file) => file.slice(0, -3))
  .filter((name) => filters.length === 0 || filters.some((filter) => name.startsWith(filter)))
  .sort();

if (benches.length === 0) {
  console.error(`bench: nothing matches ${filters.join(', ')}`);
  process.exit(1);
}

// Bundles go inside the repository so that external packages resolve from its node_modules.
const out = join(root, 'node_modules', '.cache', 'logscope-bench');
mkdirSync(out, { recursive: true });
mkdirSync(join(root, 'bench-results'), { recursive: true });
const results = join(root, 'bench-results', 'latest.jsonl');
writeFileSync(results, '');
let failed = 0;
for (const name of benches) {
  const outfile = join(out, `${name}.mjs`);
  buildSync({
    entryPoints: [join(root, 'bench', `${name}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    absWorkingDir: root,
    logLevel: 'warning',
  });
  const result = spawnSync(process.execPath, ['--expose-gc', outfile], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const stdout = result.stdout.toString();
  process.stdout.write(stdout);
  appendFileSync(
    results,
    stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((l) => `${l}\n`)
      .join(''),
  );
  if (result.status !== 0) {
    failed++;
    console.error(`bench: ${name} exited with ${result.status}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
