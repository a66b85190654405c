import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it } from 'vitest';
import type { MetricsSnapshot } from '../api/eda';
import { SeriesBuffer } from '../lib/seriesBuffer';
import { MAX_GROUP_PARTITION_SERIES, MAX_SERIES, useMetricsStore } from './metrics';

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
    groups: [
      {
        group: 'billing',
        lag: 2 * (tick % 7),
        partitions: [
          { topic: 'orders', partition: 0, committed: tick, lag: tick % 7 },
          { topic: 'orders', partition: 1, committed: tick, lag: tick % 7 },
        ],
      },
    ],
  };
}

describe('metrics store', () => {
  it('stays bounded over 10,000 one-second ticks of 100 series while topics come and go', () => {
    setActivePinia(createPinia());
    const store = useMetricsStore();
    store.focus('topic-0-0');
    store.focusOnGroup('billing');
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
    const lagPerPartition = store.seriesOf('groupPartition');
    expect(lagPerPartition.map((s) => s.name)).toEqual(['orders / 0', 'orders / 1']);
    expect(lagPerPartition[0]!.buffer.recent().at(-1)).toEqual([start + 9999 * 1000, 9999 % 7]);
  });

  it("keeps a group's lag per partition only for the focused group", () => {
    setActivePinia(createPinia());
    const store = useMetricsStore();
    store.ingest(snapshot(1000, 1, 1));
    expect(store.seriesOf('groupPartition')).toEqual([]);
    expect(store.seriesOf('group').map((s) => s.name)).toEqual(['billing']);
    store.focusOnGroup('billing');
    store.ingest(snapshot(2000, 2, 1));
    expect(store.seriesOf('groupPartition')).toHaveLength(2);
    store.focusOnGroup('other');
    expect(store.seriesOf('groupPartition')).toEqual([]);
  });

  it("charts at most the focused group's partitions with the most lag", () => {
    setActivePinia(createPinia());
    const store = useMetricsStore();
    store.focusOnGroup('wide');
    const wide = snapshot(1000, 1, 0);
    wide.groups = [
      {
        group: 'wide',
        lag: 0,
        partitions: Array.from({ length: 1000 }, (_, partition) => ({
          topic: 'clicks',
          partition,
          committed: 0,
          // Lag peaks in the middle: the charted partitions are 475..524.
          lag: 1000 - Math.abs(partition - 500),
        })),
      },
    ];
    store.ingest(wide);
    const charted = store.seriesOf('groupPartition').map((s) => Number(s.name.split(' / ')[1]));
    expect(charted).toHaveLength(MAX_GROUP_PARTITION_SERIES);
    expect(Math.min(...charted)).toBeGreaterThanOrEqual(475);
    expect(Math.max(...charted)).toBeLessThanOrEqual(525);
    expect(charted).toContain(500);
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

  it('returns only the points of a window, and a gap breaks the line without entering averages', () => {
    const buffer = new SeriesBuffer(10, 60_000, 3);
    for (let s = 0; s < 15; s++) buffer.push(s * 1000, s);
    // The ring holds 5..14 s; the window from 11.5 s starts at 12 s.
    expect(buffer.recentSince(11_500)).toEqual([
      [12_000, 12],
      [13_000, 13],
      [14_000, 14],
    ]);
    expect(buffer.recentSince(0)).toHaveLength(10);
    expect(buffer.recentSince(20_000)).toEqual([]);
    expect([...buffer.recentSinceFlat(11_500)]).toEqual(buffer.recentSince(11_500).flat());
    buffer.push(14_001, Number.NaN);
    buffer.push(15_000, 15);
    expect(buffer.recent().at(-2)![1]).toBeNaN();
    // Minute 0 averages 0..15 only: the gap is not a value.
    expect(buffer.history()).toEqual([[0, 7.5]]);
    expect(buffer.lastUpdate).toBe(15_000);
  });
});
