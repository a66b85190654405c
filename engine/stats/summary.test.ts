import { describe, expect, it } from 'vitest';
import { Prng } from '../sampling/prng';
import { describeNumeric } from './descriptive';
import { StreamingHistogram } from './histogram';
import { NumericScan, summarizeSample } from './summary';

function temperatures(n: number, seed: string): number[] {
  const prng = new Prng(seed);
  return Array.from({ length: n }, () => 21 + 4 * prng.nextGaussian());
}

describe('summarizeSample', { timeout: 60_000 }, () => {
  it('produces the API result shape: stats, ci95, histogram, box', () => {
    const values: unknown[] = [...temperatures(500, 'sample'), null, 'broken', 95];
    const result = summarizeSample(values, { populationSize: 100_000 });
    expect(result.stats).toMatchObject({ count: 501, missing: 2 });
    for (const key of ['mean', 'median', 'std', 'variance', 'min', 'max', 'q1', 'q3'] as const) {
      expect(typeof result.stats[key]).toBe('number');
    }
    expect(result.ci95!.low).toBeLessThan(result.stats.mean!);
    expect(result.ci95!.high).toBeGreaterThan(result.stats.mean!);
    expect(result.ci95!.finitePopulationCorrection).toBeCloseTo(Math.sqrt(1 - 501 / 100_000), 12);
    expect(result.histogram.edges).toHaveLength(result.histogram.counts.length + 1);
    expect(result.histogram.counts.reduce((a, b) => a + b, 0)).toBe(501);
    expect(result.box!.outliers).toContain(95);
    expect(result.box!.whiskers[1]).toBeLessThan(95);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('returns empty parts, not errors, when no value is numeric', () => {
    const result = summarizeSample([null, 'a', undefined]);
    expect(result.stats).toMatchObject({ count: 0, missing: 3, mean: null });
    expect(result.ci95).toBeNull();
    expect(result.box).toBeNull();
    expect(result.histogram.counts).toEqual([]);
  });
});

describe('NumericScan', { timeout: 60_000 }, () => {
  it('gives the same shape as a sample: moments exact, quantiles within the stated error', () => {
    const values: unknown[] = temperatures(200_000, 'scan');
    values.push(null, 'x', Infinity);
    const parts = [new NumericScan({ seed: 1 }), new NumericScan({ seed: 2 })];
    values.forEach((value, i) => parts[i % 2]!.add(value));
    const result = parts[0]!.merge(parts[1]!).result();
    const exact = describeNumeric(values);

    expect(result.stats.count).toBe(exact.count);
    expect(result.stats.missing).toBe(3);
    expect(result.stats.min).toBe(exact.min);
    expect(result.stats.max).toBe(exact.max);
    expect(result.stats.mean!).toBeCloseTo(exact.mean!, 9);
    expect(result.stats.variance!).toBeCloseTo(exact.variance!, 6);
    expect(result.stats.kurtosis!).toBeCloseTo(exact.kurtosis!, 6);

    const sorted = Float64Array.from(values.filter((v): v is number => Number.isFinite(v))).sort();
    const rankOf = (x: number) => sorted.findIndex((v) => v > x) / sorted.length;
    const bound = result.approximate!.rankError;
    expect(bound).toBeGreaterThan(0);
    expect(Math.abs(rankOf(result.stats.median!) - 0.5)).toBeLessThanOrEqual(bound + 1e-5);
    expect(Math.abs(rankOf(result.stats.q1!) - 0.25)).toBeLessThanOrEqual(bound + 1e-5);

    // A full scan has no sampling error.
    expect(result.ci95!.marginOfError).toBe(0);
    expect(result.histogram.approximate).toBe(true);
    const total = result.histogram.counts.reduce((a, b) => a + b, 0);
    expect(Math.abs(total - exact.count)).toBeLessThanOrEqual(result.histogram.counts.length);
    expect(result.box!.whiskers[0]).toBeGreaterThanOrEqual(result.box!.lowerFence);
    expect(result.box!.whiskers[1]).toBeLessThanOrEqual(result.box!.upperFence);
    expect(result.box!.outlierCount).toBeGreaterThan(0);
  });

  it('uses exact histogram counts from a second pass when given', () => {
    const values = temperatures(10_000, 'two-pass');
    const scan = new NumericScan();
    values.forEach((value) => scan.add(value));
    const first = scan.result();
    const exactHistogram = new StreamingHistogram(first.histogram.edges);
    values.forEach((value) => exactHistogram.add(value));
    const second = scan.result({ exactHistogram });
    expect(second.histogram.counts.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(second.histogram.approximate).toBeUndefined();
    expect(second.histogram.rule).toBe(first.histogram.rule);
  });
});
