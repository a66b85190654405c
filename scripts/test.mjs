// `npm test`: lint, type-check, build, unit tests, then cross-process tests (real processes,
// real Kafka clients, a real browser). Stops at the first failing step. Ends with one line
// `N passed, N failed` counting every test that ran.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const onPath = (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

const missing = [];
if (!existsSync(chromium)) missing.push('chromium');
if (!onPath('kcat')) missing.push('kcat');
if (missing.length > 0) {
  console.error(
    `npm test needs ${missing.join(' and ')}: install with \`sudo apt-get install -y chromium kcat xvfb\` (Debian/Ubuntu).`,
  );
  process.exit(1);
}

rmSync(`${root}/test-results`, { recursive: true, force: true });
const totals = { passed: 0, failed: 0, skipped: 0 };

function run(title, command, args) {
  console.log(`\n━━ ${title}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  return result.status === 0;
}

function vitest(project) {
  const report = `test-results/vitest-${project}.json`;
  const ok = run(`${project} tests`, 'npx', [
    'vitest',
    'run',
    '--project',
    project,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
  ]);
  if (existsSync(`${root}/${report}`)) {
    const json = JSON.parse(readFileSync(`${root}/${report}`, 'utf8'));
    totals.passed += json.numPassedTests;
    totals.failed += json.numFailedTests + json.numTodoTests;
    totals.skipped += json.numPendingTests;
  }
  return ok;
}

const steps = [
  () => run('lint', 'npm', ['run', '--silent', 'lint']),
  () => run('type-check', 'npm', ['run', '--silent', 'typecheck']),
  () => run('build', 'npm', ['run', '--silent', 'build']),
  () => vitest('unit'),
  () => vitest('cross'),
];

let ok = true;
for (const step of steps) {
  if (!step()) {
    ok = false;
    break;
  }
}

// Tests that could not run on this machine (the Electron app, where there is no Electron binary)
// say why in test-results/not-run.txt; they are never counted as passed. Any other skip fails.
const notRun = `${root}/test-results/not-run.txt`;
const reasons = existsSync(notRun)
  ? readFileSync(notRun, 'utf8').trimEnd().split('\n').filter(Boolean)
  : [];
if (reasons.length > 0) {
  console.log('\nNot run on this machine (not counted as passed):');
  for (const reason of reasons) console.log(`  ${reason}`);
}
const unexplained = totals.skipped - reasons.length;
if (unexplained > 0) {
  console.error(
    `\n${unexplained} skipped test(s) without a reason in test-results/not-run.txt: a skipped test proves nothing.`,
  );
  ok = false;
}
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(ok && totals.failed === 0 ? 0 : 1);
