/**
 * The page of the live-charts benchmark (bench/live-charts.ts), not part of the app: one
 * LiveChart with 100 series whose 15-minute windows are already full (900 points each, one a
 * second), then a new point in every series each second — the steady state of the Throughput
 * view after a quarter of an hour, without waiting a quarter of an hour. The benchmark calls
 * `window.startLiveBench()` and measures frames while it runs.
 */
import { createApp, h, ref } from 'vue';
import { SeriesBuffer } from '../lib/seriesBuffer';
import type { SeriesInfo } from '../stores/metrics';
import LiveChart from './LiveChart.vue';
import { WINDOW_MS } from './liveWindow';

const SERIES = 100;
const STEP_MS = 1000;

function start(): { ticks: () => number } {
  let at = Date.now();
  const series: SeriesInfo[] = Array.from({ length: SERIES }, (_, i) => ({
    key: `topic:bench-${i}`,
    kind: 'topic',
    name: `bench-${i}`,
    unit: 'msg/s',
    buffer: new SeriesBuffer(),
  }));
  // A random walk per series, so lines cross and LTTB has real shapes to keep.
  const level = series.map((_, i) => 100 + i * 10);
  const pushAll = (time: number) =>
    series.forEach((s, i) => {
      level[i] = Math.max(0, level[i]! + (Math.random() - 0.5) * 20);
      s.buffer.push(time, level[i]!);
    });
  for (let time = at - WINDOW_MS.recent; time <= at; time += STEP_MS) pushAll(time);

  const tick = ref(0);
  const now = ref(at);
  createApp({
    render: () =>
      h(LiveChart, {
        series,
        tick: tick.value,
        paused: false,
        window: 'recent',
        unit: 'msg/s',
        at: now.value,
        height: '600px',
      }),
  }).mount('#app');
  setInterval(() => {
    at += STEP_MS;
    pushAll(at);
    now.value = at;
    tick.value++;
  }, STEP_MS);
  return { ticks: () => tick.value };
}

(window as unknown as { startLiveBench: typeof start }).startLiveBench = start;
