import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it } from 'vitest';
import type { MetricsSnapshot } from '../api/eda';
import { SeriesBuffer } from '../lib/seriesBuffer';
import { MAX_SERIES, useMetricsStore } from './metrics';

function snapshot(at: number, tick: number, topics: number): MetricsSnapshot {
  return {
    cluster: 'local',
    at,
    elapsedMs: 1000,
    intervalMs: 1000,
    pollMs: 3,
    messagesPerSec: tick % 50,
    bytesInPerSec: 1000,
    bytesOutPerSec: 10,
    topics: Array.from({ length: topics }, (_, t) => ({
      // Topics come and go: a new name every 100 ticks, so old series must be evicted.
      topic: `topic-${t}-${Math.floor(tick / 100)}`,
      messagesPerSec: t,
      bytesInPerSec: null,
      bytesOutPerSec: null,
      partitions: [0, 1, 2].map((partition) => ({
        partition,
        messagesPerSec: 1,
        highWatermark: tick,
      })),
    })),
    groups: [{ group: 'billing', lag: tick % 7, partitions: [] }],
  };
}

describe('metrics store', () => {
  it('stays bounded over 10,000 one-second ticks of 100 series while topics come and go', () => {
    setActivePinia(createPinia());
    const store = useMetricsStore();
    store.focus('topic-0-0');
    const start = Date.UTC(2025, 0, 1);
    const sizes: number[] = [];
    for (let tick = 0; tick < 10_000; tick++) {
      store.ingest(snapshot(start + tick * 1000, tick, 100));
      if (tick % 1000 === 999) sizes.push(store.pointCount());
    }
    const perSeries = new SeriesBuffer();
    const bound = MAX_SERIES * (perSeries.recentCapacity + perSeries.bucketCapacity + 1);
    expect(store.seriesCount()).toBeLessThanOrEqual(MAX_SERIES);
    for (const size of sizes) expect(size).toBeLessThanOrEqual(bound);
    // Flat, not growing: the last thousand ticks added no more points than they let go.
    expect(sizes.at(-1)!).toBeLessThanOrEqual(sizes.at(-3)! * 1.05);
    const cluster = store.seriesOf('cluster').find((s) => s.key === 'cluster:messages')!;
    expect(cluster.buffer.recent()).toHaveLength(1000);
    expect(cluster.buffer.recent().at(-1)).toEqual([start + 9999 * 1000, 9999 % 50]);
    // 10,000 s of history is 167 one-minute buckets (the last still open).
    expect(cluster.buffer.history()).toHaveLength(167);
  });

  it('keeps full resolution for the recent past and averages older points per minute', () => {
    const buffer = new SeriesBuffer(5, 60_000, 3);
    for (let s = 0; s < 300; s++) buffer.push(s * 1000, s < 60 ? 1 : 3);
    expect(buffer.recent().map(([, v]) => v)).toEqual([3, 3, 3, 3, 3]);
    expect(buffer.recent()[0]![0]).toBe(295_000);
    // Minutes 1–3 are kept (3 closed buckets), minute 0 (averaging 1) fell out; 4 is open.
    expect(buffer.history()).toEqual([
      [60_000, 3],
      [120_000, 3],
      [180_000, 3],
      [240_000, 3],
    ]);
    expect(buffer.size).toBe(5 + 3 + 1);
  });
});
