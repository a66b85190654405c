import { describe, expect, it } from 'vitest';
import { downsampleMinMax } from './downsample';

/** Flat `time, value` pairs from `[time, value]` points. */
function flat(points: [number, number][]): Float64Array {
  return Float64Array.from(points.flat());
}
function pairs(values: Float64Array): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < values.length; i += 2) out.push([values[i]!, values[i + 1]!]);
  return out;
}
/** A random walk of `count` points one second apart, reproducible (a fixed linear congruential generator). */
function walk(count: number, seed = 7): [number, number][] {
  let state = seed;
  let level = 1000;
  return Array.from({ length: count }, (_, i) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    level = Math.max(0, level + (state / 2 ** 31 - 0.5) * 100);
    return [i * 1000, level];
  });
}

describe('min-max downsampling', () => {
  it('returns the points exactly when the span holds no more than the pixels', () => {
    const points = walk(900);
    const out = downsampleMinMax(flat(points), 0, 899_000, 900);
    expect(pairs(out)).toEqual(points);
  });

  it('keeps only the span and one neighbour each side, exactly, when zoomed in', () => {
    const points = walk(900);
    // A zoom onto 100 seconds of 900: fewer points than 500 pixels, so full resolution.
    const out = pairs(downsampleMinMax(flat(points), 300_500, 400_500, 500));
    expect(out).toEqual(points.slice(300, 402));
    expect(out[0]![0]).toBeLessThan(300_500);
    expect(out.at(-1)![0]).toBeGreaterThan(400_500);
  });

  it('draws no more points than pixels, and keeps every bucket extreme and so the overall peak and dip', () => {
    const points = walk(5000);
    const maxPoints = 400;
    const out = pairs(downsampleMinMax(flat(points), 0, 4_999_000, maxPoints));
    expect(out.length).toBeLessThanOrEqual(maxPoints);
    const values = points.map(([, v]) => v);
    const kept = out.map(([, v]) => v);
    expect(Math.max(...kept)).toBe(Math.max(...values));
    expect(Math.min(...kept)).toBe(Math.min(...values));
    // Each of the 200 buckets (25 s each) keeps its own min and max.
    const width = 4_999_000 / 200;
    for (let b = 0; b < 200; b++) {
      const inBucket = points.filter(([t]) => Math.min(199, Math.floor(t / width)) === b);
      const bucketValues = inBucket.map(([, v]) => v);
      const keptHere = out
        .filter(([t]) => Math.min(199, Math.floor(t / width)) === b)
        .map(([, v]) => v);
      expect(keptHere).toContain(Math.max(...bucketValues));
      expect(keptHere).toContain(Math.min(...bucketValues));
    }
    // Points stay in time order and are points of the input.
    for (let i = 1; i < out.length; i++) expect(out[i]![0]).toBeGreaterThan(out[i - 1]![0]);
    const byTime = new Map(points);
    for (const [t, v] of out) expect(byTime.get(t)).toBe(v);
  });

  it('keeps a gap as a gap point between the runs it separates', () => {
    const points = walk(1000);
    // The stream stopped for 10 s in the middle: one NaN marks it.
    points[500] = [500_000, Number.NaN];
    const out = pairs(downsampleMinMax(flat(points), 0, 999_000, 100));
    const gaps = out.filter(([, v]) => Number.isNaN(v));
    expect(gaps).toEqual([[500_000, Number.NaN]]);
    const gapAt = out.findIndex(([, v]) => Number.isNaN(v));
    expect(out[gapAt - 1]![0]).toBeLessThan(500_000);
    expect(out[gapAt + 1]![0]).toBeGreaterThan(500_000);
  });

  it('keeps gaps when no downsampling is needed, and handles an empty or one-point series', () => {
    const points: [number, number][] = [
      [0, 1],
      [1000, Number.NaN],
      [2000, 3],
    ];
    expect(pairs(downsampleMinMax(flat(points), 0, 2000, 100))).toEqual(points);
    expect(downsampleMinMax(new Float64Array(0), 0, 1000, 100)).toHaveLength(0);
    expect(pairs(downsampleMinMax(flat([[5000, 2]]), 0, 1000, 100))).toEqual([[5000, 2]]);
  });

  it('rejects input that is not time, value pairs or a span that ends before it starts', () => {
    expect(() => downsampleMinMax(Float64Array.of(1, 2, 3), 0, 1, 10)).toThrow(/pairs/);
    expect(() => downsampleMinMax(Float64Array.of(1, 2), 10, 0, 10)).toThrow(/before it starts/);
  });
});
