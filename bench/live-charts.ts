/**
 * live-charts: is the Throughput view smooth with 100 series updating each second (issue 7,
 * item 2)? Headless Chromium runs renderer/src/charts/liveChartBench.ts — the real LiveChart
 * with 100 series whose 15-minute windows are full (900 points each) and a new point in every
 * series each second — and counts animation frames for BENCH_SECONDS (default 20). The floor
 * is an empty requestAnimationFrame loop in the same page and run: what the browser gives at
 * all. Also reported: the 95th/99th-percentile and longest frame gap, the frames over 50 ms and
 * the longest task (a redraw of 100 series), since a once-a-second stall hides in an average.
 *
 * Smooth means no task of the page's main thread over 50 ms (a stall the eye sees). Then a
 * Chromium trace of BENCH_TRACE_SECONDS (default 10) times each main-thread task twice: wall
 * clock, and the thread's own CPU time — on a machine busy with other work the wall clock of
 * the same redraw grows with the load (reported as `loadAverage`), its CPU time hardly does,
 * so `smooth` is judged on CPU time and the wall clock is reported beside it.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import vue from '@vitejs/plugin-vue';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { launchChromium } from '../tests/support/browser';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const TRACE_SECONDS = Number(process.env.BENCH_TRACE_SECONDS ?? 10);
/** A task longer than this is a visible stall. */
const STALL_MS = 50;
const root = process.cwd();

// The page's module, built like the app (Vue SFCs, production mode) into one ES file.
const outDir = mkdtempSync(join(tmpdir(), 'logscope-bench-live-'));
await build({
  configFile: false,
  logLevel: 'warn',
  plugins: [vue()],
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir,
    emptyOutDir: true,
    lib: {
      entry: join(root, 'renderer', 'src', 'charts', 'liveChartBench.ts'),
      formats: ['es'],
      fileName: 'live-bench',
    },
  },
});
const bundle = readdirSync(outDir).find((file) => file.endsWith('.js'));
if (!bundle) throw new Error(`vite produced no script in ${outDir}`);
const script = readFileSync(join(outDir, bundle), 'utf8');
// The components' scoped styles (the legend's layout) come out as a separate stylesheet.
const styles = readdirSync(outDir)
  .filter((file) => file.endsWith('.css'))
  .map((file) => readFileSync(join(outDir, file), 'utf8'))
  .join('\n');
rmSync(outDir, { recursive: true, force: true });

/** Frames over `ms` in the page: frames/s, 95th/99th-percentile and longest gap, gaps > 50 ms. */
const measureFrames = (ms: number) => `new Promise((resolve) => {
  const gaps = []; let frames = 0; const start = performance.now(); let previous = start;
  const tick = (now) => {
    frames++; gaps.push(now - previous); previous = now;
    if (now - start < ${ms}) requestAnimationFrame(tick);
    else {
      gaps.sort((a, b) => a - b);
      resolve({ fps: frames / ((now - start) / 1000), p95: gaps[Math.floor(gaps.length * 0.95)], p99: gaps[Math.floor(gaps.length * 0.99)], max: gaps[gaps.length - 1], over50: gaps.filter((g) => g > 50).length });
    }
  };
  requestAnimationFrame(tick);
})`;

interface Frames {
  fps: number;
  p95: number;
  p99: number;
  max: number;
  /** Frames that took longer than 50 ms: a stall the eye can see. */
  over50: number;
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/** Main-thread tasks of the page over `ms`: wall and thread (CPU) milliseconds of each. */
async function traceTasks(page: Page, ms: number): Promise<{ wall: number; cpu: number }[]> {
  const cdp = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (event) =>
    events.push(...(event.value as unknown as TraceEvent[])),
  );
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', {
    categories: 'toplevel,devtools.timeline',
    transferMode: 'ReportEvents',
  });
  await new Promise((resolve) => setTimeout(resolve, ms));
  await cdp.send('Tracing.end');
  await complete;
  await cdp.detach();
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!main) throw new Error('the trace has no renderer main thread');
  return events
    .filter(
      (e) =>
        e.ph === 'X' &&
        e.name === 'ThreadControllerImpl::RunTask' &&
        e.pid === main.pid &&
        e.tid === main.tid,
    )
    .map((e) => ({ wall: (e.dur ?? 0) / 1000, cpu: (e.tdur ?? 0) / 1000 }));
}

const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.setContent('<!doctype html><html><body><div id="app"></div></body></html>');
  await page.addStyleTag({ content: styles });
  await page.addScriptTag({ content: script, type: 'module' });
  await page.waitForFunction('typeof window.startLiveBench === "function"');

  const floor = (await page.evaluate(measureFrames(5000))) as Frames;

  await page.evaluate(`(() => {
    window.longestTaskMs = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.longestTaskMs = Math.max(window.longestTaskMs, entry.duration);
    }).observe({ type: 'longtask' });
    window.liveBench = window.startLiveBench();
  })()`);
  await page.waitForSelector('.live-chart[data-drawn-tick]');
  // The first draw builds the chart once; the steady state's redraws are what is measured.
  await page.evaluate('window.longestTaskMs = 0');
  const frames = (await page.evaluate(measureFrames(SECONDS * 1000))) as Frames;
  const { ticks, drawn, longestTaskMs } = (await page.evaluate(`({
    ticks: window.liveBench.ticks(),
    drawn: Number(document.querySelector('.live-chart').getAttribute('data-drawn-tick')),
    longestTaskMs: window.longestTaskMs,
  })`)) as { ticks: number; drawn: number; longestTaskMs: number };
  if (ticks < SECONDS - 2 || drawn < ticks - 1)
    throw new Error(`the chart fell behind: ${ticks} updates, the last drawn was ${drawn}`);
  const tasks = await traceTasks(page, TRACE_SECONDS * 1000);
  const longestCpu = Math.max(...tasks.map((t) => t.cpu));
  const longestWall = Math.max(...tasks.map((t) => t.wall));

  console.log(
    JSON.stringify({
      bench: 'live-charts',
      ratio: Number((frames.fps / floor.fps).toFixed(3)),
      value: Number(frames.fps.toFixed(1)),
      unit: 'frames/s',
      baseline: `empty requestAnimationFrame loop in the same page: ${floor.fps.toFixed(1)} frames/s`,
      series: 100,
      pointsPerSeries: 900,
      updates: ticks,
      seconds: SECONDS,
      p95FrameMs: Number(frames.p95.toFixed(1)),
      p99FrameMs: Number(frames.p99.toFixed(1)),
      longestFrameMs: Number(frames.max.toFixed(1)),
      framesOver50Ms: frames.over50,
      floorLongestFrameMs: Number(floor.max.toFixed(1)),
      longestTaskMs: Number(longestTaskMs.toFixed(1)),
      smooth: longestCpu <= STALL_MS,
      tracedSeconds: TRACE_SECONDS,
      longestTaskCpuMs: Number(longestCpu.toFixed(1)),
      tasksOver50MsCpu: tasks.filter((t) => t.cpu > STALL_MS).length,
      longestTaskWallMs: Number(longestWall.toFixed(1)),
      tasksOver50MsWall: tasks.filter((t) => t.wall > STALL_MS).length,
      loadAverage: Number(loadavg()[0]!.toFixed(1)),
    }),
  );
} finally {
  await browser.close();
}
