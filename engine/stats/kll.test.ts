import { describe, expect, it } from 'vitest';
import { Prng } from '../sampling/prng';
import { KllSketch } from './kll';

/** The distance, as a fraction of n, from p·n to the range of true ranks of `value`. */
function rankError(sorted: Float64Array, value: number, p: number): number {
  const n = sorted.length;
  const below = lowerBound(sorted, value, false);
  const atMost = lowerBound(sorted, value, true);
  const target = p * n;
  return (target < below ? below - target : target > atMost ? target - atMost : 0) / n;
}

/** Number of sorted values < x (or ≤ x when inclusive). */
function lowerBound(sorted: Float64Array, x: number, inclusive: boolean): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (inclusive ? sorted[mid]! <= x : sorted[mid]! < x) low = mid + 1;
    else high = mid;
  }
  return low;
}

const PERCENTILES = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);

function lognormal(n: number, seed: string): Float64Array {
  const prng = new Prng(seed);
  return Float64Array.from({ length: n }, () => Math.exp(prng.nextGaussian()));
}

describe('KllSketch', { timeout: 60_000 }, () => {
  it('is exact until it first compacts', () => {
    const sketch = new KllSketch({ seed: 1 });
    for (let i = 1; i <= 100; i++) sketch.add(i);
    expect(sketch.rankErrorBound()).toBe(0);
    expect(sketch.quantile(0.5)).toBe(50);
    expect(sketch.quantile(0)).toBe(1);
    expect(sketch.quantile(1)).toBe(100);
    expect(sketch.rank(10)).toBe(10);
    expect(sketch.rank(10, false)).toBe(9);
    expect(sketch.cdf(0)).toBe(0);
  });

  it('keeps every percentile of 10^6 values within its stated bound, in bounded memory', () => {
    const data = lognormal(1_000_000, 'kll-1e6');
    const sketch = new KllSketch({ seed: 'kll' });
    for (const x of data) sketch.add(x);
    const sorted = data.slice().sort();
    const bound = sketch.rankErrorBound(0.01);
    const errors = PERCENTILES.map((p) => rankError(sorted, sketch.quantile(p)!, p));
    // The stated bound for k = 200 at δ = 0.01, as documented in kll.ts.
    expect(bound).toBeGreaterThan(0.01);
    expect(bound).toBeLessThan(0.016);
    expect(Math.max(...errors)).toBeLessThanOrEqual(bound);
    // About 3k, plus the 8-item floors of the lowest levels.
    expect(sketch.retained).toBeLessThan(3 * sketch.k + 8 * 16);
    expect(sketch.min).toBe(sorted[0]);
    expect(sketch.max).toBe(sorted[sorted.length - 1]);
    // Rank queries at fixed values obey the same bound.
    for (const p of [0.05, 0.5, 0.95]) {
      const value = sorted[Math.floor(p * sorted.length)]!;
      expect(
        Math.abs(sketch.rank(value) - lowerBound(sorted, value, true)) / sorted.length,
      ).toBeLessThanOrEqual(bound);
    }
  });

  it('merged from ten sketches of 5·10^4 values, still keeps within its stated bound', () => {
    const data = lognormal(500_000, 'kll-merge');
    const parts = Array.from({ length: 10 }, (_, i) => {
      const sketch = new KllSketch({ seed: i });
      for (let j = i * 50_000; j < (i + 1) * 50_000; j++) sketch.add(data[j]!);
      return sketch;
    });
    const merged = parts.reduce((a, b) => a.merge(b), new KllSketch({ seed: 'merged' }));
    expect(merged.count).toBe(500_000);
    const sorted = data.slice().sort();
    const bound = merged.rankErrorBound(0.01);
    const errors = PERCENTILES.map((p) => rankError(sorted, merged.quantile(p)!, p));
    expect(Math.max(...errors)).toBeLessThanOrEqual(bound);
  });

  it('exceeds its δ = 0.1 bound on far fewer than 10% of queries (20 seeds × 19 quantiles)', () => {
    const data = lognormal(50_000, 'kll-delta');
    const sorted = data.slice().sort();
    let exceeded = 0;
    let queries = 0;
    for (let seed = 0; seed < 20; seed++) {
      const sketch = new KllSketch({ seed });
      for (const x of data) sketch.add(x);
      const bound = sketch.rankErrorBound(0.1);
      for (let i = 1; i < 20; i++) {
        queries++;
        if (rankError(sorted, sketch.quantile(i / 20)!, i / 20) > bound) exceeded++;
      }
    }
    expect(exceeded / queries).toBeLessThan(0.1);
  });

  it('is deterministic for a seed, survives a state round trip, and estimates histograms', () => {
    const data = lognormal(50_000, 'kll-state');
    const a = new KllSketch({ seed: 3 });
    const b = new KllSketch({ seed: 3 });
    for (const x of data) {
      a.add(x);
      b.add(x);
    }
    expect(a.state()).toEqual(b.state());
    const restored = KllSketch.fromState(JSON.parse(JSON.stringify(a.state())));
    expect(restored.quantile(0.3)).toBe(a.quantile(0.3));
    restored.add(1);
    a.add(1);
    expect(restored.state()).toEqual(a.state());
    const counts = a.histogram([a.min!, 1, 2, a.max!]);
    expect(counts.reduce((x, y) => x + y, 0)).toBe(a.count);
    expect(() => a.add(NaN)).toThrow(RangeError);
    expect(new KllSketch().quantile(0.5)).toBeNull();
  });
});
