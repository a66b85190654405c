import { describe, expect, it } from 'vitest';
import { bucketWidth, GrowingHistogram, MAX_BUCKETS, ThroughputSeries } from './playbackStats';

describe('throughput by playback time', () => {
  it('uses round bucket widths, never more than MAX_BUCKETS over the window', () => {
    for (const span of [1000, 60_000, 3_600_000, 86_400_000, 30 * 86_400_000]) {
      expect(Math.ceil(span / bucketWidth(span))).toBeLessThanOrEqual(MAX_BUCKETS);
    }
    expect(bucketWidth(120_000)).toBe(1000);
  });

  it('counts messages per second up to the playback time only', () => {
    const series = new ThroughputSeries(0, 120_000);
    for (let t = 0; t < 4_500; t += 100) series.add(t); // 10 a second, played up to 4.5 s
    series.add(-1); // before the window: not counted
    const points = series.points(4_500);
    // Four whole seconds, and half of the fifth: rated over the half played.
    expect(points).toEqual([
      [0, 10],
      [1000, 10],
      [2000, 10],
      [3000, 10],
      [4000, 10],
    ]);
    expect(series.points(4_100)).toHaveLength(4); // a tenth of a bucket: not yet shown
    series.add(50_000);
    expect(series.points(60_000)[50]).toEqual([50_000, 1]);
  });
  it('after a jump, shows only what was played from there', () => {
    const series = new ThroughputSeries(0, 120_000, 30_500);
    for (let t = 30_500; t < 33_000; t += 100) series.add(t);
    expect(series.points(33_000)).toEqual([
      [30_000, 10], // the half of this second after the jump
      [31_000, 10],
      [32_000, 10],
    ]);
  });
});

describe('growing histogram', () => {
  it('counts every value once as the values drift far from where they started', () => {
    const histogram = new GrowingHistogram(20);
    const values: number[] = [];
    for (let i = 0; i < 100; i++) values.push(10 + (i % 10)); // a narrow start…
    for (let i = 0; i < 250; i++) values.push(20 + i * 3.7); // …then drifting up…
    for (let i = 0; i < 250; i++) values.push(5 - i * 1.3); // …and down
    values.forEach((v) => histogram.add(v));
    histogram.add(null);
    const view = histogram.result()!;
    expect(view.counts.reduce((a, b) => a + b, 0)).toBe(600);
    expect(view.counts.length).toBeLessThanOrEqual(20);
    expect(view.edges).toHaveLength(view.counts.length + 1);
    expect(view.edges[0]!).toBeLessThanOrEqual(Math.min(...values));
    expect(view.edges.at(-1)!).toBeGreaterThan(Math.max(...values));
    expect(view).toMatchObject({ count: 600, missing: 1 });
    // Each value lies in a bin whose count includes it: recount against the edges.
    const recount = view.counts.map(
      (_, i) => values.filter((v) => v >= view.edges[i]! && v < view.edges[i + 1]!).length,
    );
    expect(recount).toEqual(view.counts);
  });

  it('counts far outliers at the ends instead of squeezing the bulk into one bin', () => {
    const histogram = new GrowingHistogram(40);
    for (let i = 0; i < 1000; i++) {
      histogram.add(15 + (i % 100) / 10); // 15 … 24.9
      if (i % 50 === 7) histogram.add(-273.15); // a failing sensor
      if (i % 200 === 9) histogram.add(9999);
    }
    const view = histogram.result()!;
    expect(view.below).toEqual({ count: 20, under: view.below.under });
    expect(view.above.count).toBe(5);
    expect(view.below.under).toBeLessThanOrEqual(15);
    expect(view.above.from).toBeGreaterThan(24.9);
    // The bulk keeps its shape: 10 a bin or so, not all in one.
    expect(Math.max(...view.counts)).toBeLessThan(200);
    expect(view.counts.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(view).toMatchObject({ count: 1025, min: -273.15, max: 9999 });
  });

  it('shows a few values before it lays out its bins', () => {
    const histogram = new GrowingHistogram();
    expect(histogram.result()).toBeNull();
    [3, 3, 4].forEach((v) => histogram.add(v));
    const view = histogram.result()!;
    expect(view.counts.reduce((a, b) => a + b, 0)).toBe(3);
    expect(view.mean).toBeCloseTo(10 / 3);
  });
});
