import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as ss from 'simple-statistics';
import {
  compensatedSum,
  describeNumeric,
  kurtosis,
  mean,
  median,
  quantile,
  quantileSorted,
  skewness,
  standardDeviation,
  variance,
} from './descriptive';

const relativelyClose = (actual: number | null, expected: number, tolerance = 1e-9) => {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(
    tolerance * Math.max(1, Math.abs(expected)),
  );
};

describe('describe: hand-checked cases', { timeout: 60_000 }, () => {
  it('summarises 2, 4, 4, 4, 5, 5, 7, 9', () => {
    const stats = describeNumeric([9, 4, 5, 2, 4, 7, 4, 5]);
    expect(stats).toMatchObject({
      count: 8,
      missing: 0,
      sum: 40,
      mean: 5,
      median: 4.5,
      mode: 4,
      modeCount: 3,
      min: 2,
      max: 9,
      // Type 7: h = 7·0.25 = 1.75 → x₁ + 0.75(x₂ − x₁) = 4; h = 5.25 → 5 + 0.25·2 = 5.5.
      q1: 4,
      q3: 5.5,
      iqr: 1.5,
    });
    relativelyClose(stats.variance, 32 / 7, 1e-15);
    relativelyClose(stats.std, Math.sqrt(32 / 7), 1e-15);
    relativelyClose(stats.standardError, Math.sqrt(32 / 7) / Math.sqrt(8), 1e-15);
    // SciPy: skew(x, bias=False), kurtosis(x, bias=False).
    relativelyClose(stats.skewness, 0.8184875533567996, 1e-12);
    relativelyClose(stats.kurtosis, 0.9406249999999998, 1e-12);
  });

  it('matches the published skewness and kurtosis examples', () => {
    relativelyClose(skewness([2, 4, 6, 3, 1]), 0.5901286563843652, 1e-12);
    relativelyClose(kurtosis([1, 2, 2, 3, 5]), 1.4555765595463104, 1e-12);
  });

  it('counts missing values by reason instead of dropping them', () => {
    const stats = describeNumeric([1, null, 'x', NaN, Infinity, undefined, 3, true, {}, '4']);
    expect(stats.count).toBe(2);
    expect(stats.missing).toBe(8);
    expect(stats.missingByReason).toEqual({ absent: 2, nonNumeric: 4, nonFinite: 2 });
    expect(stats.mean).toBe(2);
    const parsed = describeNumeric(['4', ' -1.5e1 ', '0x10', '12abc'], { parseStrings: true });
    expect(parsed.count).toBe(2);
    expect(parsed.min).toBe(-15);
    expect(parsed.missingByReason.nonNumeric).toBe(2);
  });

  it('gives null, not NaN, for statistics the data cannot define', () => {
    const empty = describeNumeric([]);
    expect(empty).toMatchObject({ count: 0, mean: null, median: null, min: null, variance: null });
    const one = describeNumeric([3]);
    expect(one).toMatchObject({ mean: 3, median: 3, variance: null, std: null, skewness: null });
    const constant = describeNumeric([2, 2, 2, 2, 2]);
    expect(constant).toMatchObject({ variance: 0, skewness: null, kurtosis: null, iqr: 0 });
    expect(JSON.parse(JSON.stringify(constant))).toEqual(constant);
  });

  it('keeps precision for data far from zero and for sums of mixed magnitudes', () => {
    // Naive Σx² − (Σx)²/n loses every digit here; the two-pass algorithm does not.
    relativelyClose(variance([1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16]), 30, 1e-12);
    expect(compensatedSum([1e16, 1, -1e16, 1])).toBe(2);
  });

  it('interpolates type-7 quantiles and stays finite near the largest doubles', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0)).toBe(1);
    expect(quantileSorted([1, 2, 3, 4], 1)).toBe(4);
    expect(quantileSorted([10], 0.3)).toBe(10);
    expect(quantileSorted([-1.7e308, 1.7e308], 0.5)).toBe(0);
    expect(() => quantileSorted([1], 1.2)).toThrow(RangeError);
  });
});

describe('describe: simple-statistics as an oracle on random data', { timeout: 60_000 }, () => {
  // Integers in a narrow range give ties (for the mode and ranks); doubles give the rest.
  const data = fc.oneof(
    fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 4, maxLength: 200 }),
    fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 4, maxLength: 200 }),
  );

  it('agrees on mean, median, quantiles, min, max and mode', () => {
    fc.assert(
      fc.property(data, fc.double({ min: 0, max: 1, noNaN: true }), (values, p) => {
        const stats = describeNumeric(values);
        relativelyClose(stats.mean, ss.mean(values));
        relativelyClose(stats.median, ss.median(values));
        relativelyClose(stats.q1, ss.quantile(values, 0.25));
        relativelyClose(stats.q3, ss.quantile(values, 0.75));
        relativelyClose(quantile(values, p), ss.quantile(values, p));
        relativelyClose(median(values), ss.median(values));
        relativelyClose(mean(values), ss.mean(values));
        expect(stats.min).toBe(ss.min(values));
        expect(stats.max).toBe(ss.max(values));
        // simple-statistics' mode is also the smallest of the most frequent values.
        expect(stats.mode).toBe(ss.mode(values));
      }),
    );
  });

  it('agrees on sample variance and standard deviation (both divide by n − 1)', () => {
    fc.assert(
      fc.property(data, (values) => {
        relativelyClose(variance(values), ss.sampleVariance(values));
        relativelyClose(standardDeviation(values), ss.sampleStandardDeviation(values));
      }),
    );
  });

  it('agrees on skewness and kurtosis (both adjusted: sampleSkewness, sampleKurtosis)', () => {
    fc.assert(
      fc.property(data, (values) => {
        // Near-constant data make both ratios ill-conditioned in any implementation.
        fc.pre(ss.sampleStandardDeviation(values) > 1e-6 * Math.max(1, Math.abs(ss.mean(values))));
        const stats = describeNumeric(values);
        relativelyClose(stats.skewness, ss.sampleSkewness(values), 1e-7);
        relativelyClose(stats.kurtosis, ss.sampleKurtosis(values), 1e-7);
      }),
    );
  });
});
