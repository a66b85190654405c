import { describe, expect, it } from 'vitest';
import { Prng } from '../sampling/prng';
import { randomSample } from '../sampling/plans';
import { describeNumeric } from './descriptive';
import {
  marginOfErrorForMean,
  marginOfErrorForProportion,
  meanConfidenceInterval,
  proportionConfidenceInterval,
  sampleSizeForMean,
  sampleSizeForProportion,
} from './intervals';

/**
 * Coverage of 1,000 intervals is Binomial(1000, 0.95) if the interval is right: standard
 * deviation 6.9, so 930–970 is ±2.9 standard deviations. Seeds are fixed, so the tests are
 * deterministic.
 */
const COVERAGE = { low: 930, high: 970 };

describe('meanConfidenceInterval', { timeout: 60_000 }, () => {
  it('uses the t quantile with n − 1 degrees of freedom', () => {
    const interval = meanConfidenceInterval({ n: 10, mean: 5, std: 2 })!;
    const margin = (2.262157162798205 * 2) / Math.sqrt(10); // t(0.975, 9) from SciPy
    expect(interval.marginOfError).toBeCloseTo(margin, 12);
    expect(interval.low).toBeCloseTo(5 - margin, 12);
    expect(interval.high).toBeCloseTo(5 + margin, 12);
    expect(interval).toMatchObject({
      method: 't',
      df: 9,
      level: 0.95,
      finitePopulationCorrection: 1,
    });
  });

  it('applies the finite-population correction √(1 − n/N) without replacement only', () => {
    const corrected = meanConfidenceInterval({ n: 10, mean: 5, std: 2, populationSize: 20 })!;
    expect(corrected.finitePopulationCorrection).toBeCloseTo(Math.sqrt(0.5), 15);
    expect(corrected.marginOfError).toBeCloseTo(
      ((2.262157162798205 * 2) / Math.sqrt(10)) * Math.sqrt(0.5),
      12,
    );
    const withReplacement = meanConfidenceInterval({
      n: 10,
      mean: 5,
      std: 2,
      populationSize: 20,
      withReplacement: true,
    })!;
    expect(withReplacement.finitePopulationCorrection).toBe(1);
    // The whole population: no sampling error at all.
    expect(
      meanConfidenceInterval({ n: 20, mean: 5, std: 2, populationSize: 20 })!.marginOfError,
    ).toBe(0);
    expect(meanConfidenceInterval({ n: 1, mean: 5, std: null })).toBeNull();
  });

  it('covers the true mean in about 95% of 1,000 samples of 10 from a normal distribution', () => {
    const prng = new Prng('coverage-normal');
    let covered = 0;
    for (let trial = 0; trial < 1000; trial++) {
      const values = Array.from({ length: 10 }, () => 10 + 3 * prng.nextGaussian());
      const stats = describeNumeric(values);
      const interval = meanConfidenceInterval({ n: 10, mean: stats.mean, std: stats.std })!;
      if (interval.low <= 10 && 10 <= interval.high) covered++;
    }
    // With z instead of t, coverage at n = 10 would be about 92%.
    expect(covered).toBeGreaterThanOrEqual(COVERAGE.low);
    expect(covered).toBeLessThanOrEqual(COVERAGE.high);
  });

  it('covers a finite population mean in about 95% of 1,000 samples without replacement, with the FPC', () => {
    // A known "topic": 2,000 messages whose values are uniform on [0, 100), in one partition.
    const population = new Prng('topic');
    const values = Array.from({ length: 2000 }, () => 100 * population.nextFloat());
    const trueMean = values.reduce((a, b) => a + b, 0) / values.length;
    let covered = 0;
    let coveredWithoutFpc = 0;
    for (let seed = 0; seed < 1000; seed++) {
      const plan = randomSample({
        ranges: [{ partition: 0, start: 0, end: 2000 }],
        size: 800,
        seed,
      });
      const sample = plan.partitions[0]!.offsets.map((offset) => values[offset]!);
      const stats = describeNumeric(sample);
      const interval = meanConfidenceInterval({
        n: stats.count,
        mean: stats.mean,
        std: stats.std,
        populationSize: 2000,
      })!;
      if (interval.low <= trueMean && trueMean <= interval.high) covered++;
      const uncorrected = meanConfidenceInterval({
        n: stats.count,
        mean: stats.mean,
        std: stats.std,
      })!;
      if (uncorrected.low <= trueMean && trueMean <= uncorrected.high) coveredWithoutFpc++;
    }
    expect(covered).toBeGreaterThanOrEqual(COVERAGE.low);
    expect(covered).toBeLessThanOrEqual(COVERAGE.high);
    // Sampling 40% of the population, the uncorrected interval is √(1/0.6) ≈ 1.29 times too wide.
    expect(coveredWithoutFpc).toBeGreaterThan(975);
  });
});

describe('proportionConfidenceInterval (Wilson)', { timeout: 60_000 }, () => {
  it('matches hand-computed Wilson intervals', () => {
    // 8 of 10: centre (0.8 + z²/20)/(1 + z²/10), half-width z/(1 + z²/10)·√(0.016 + z²/400).
    const interval = proportionConfidenceInterval({ successes: 8, n: 10 })!;
    expect(interval.low).toBeCloseTo(0.4901624, 6);
    expect(interval.high).toBeCloseTo(0.9433178, 6);
    // 0 of 10: [0, z²/(n + z²)], never a zero-width interval.
    const none = proportionConfidenceInterval({ successes: 0, n: 10 })!;
    expect(none.low).toBe(0);
    expect(none.high).toBeCloseTo(3.8414588 / 13.8414588, 6);
    expect(proportionConfidenceInterval({ successes: 0, n: 0 })).toBeNull();
  });

  it('shrinks with the finite-population correction and vanishes for a census', () => {
    const sampled = proportionConfidenceInterval({ successes: 30, n: 100, populationSize: 200 })!;
    const plain = proportionConfidenceInterval({ successes: 30, n: 100 })!;
    expect(sampled.high - sampled.low).toBeLessThan(plain.high - plain.low);
    expect(sampled.finitePopulationCorrection).toBeCloseTo(Math.sqrt(100 / 199), 15);
    const census = proportionConfidenceInterval({ successes: 30, n: 100, populationSize: 100 })!;
    expect([census.low, census.high]).toEqual([0.3, 0.3]);
  });

  it('covers the true proportion in about 95% of 1,000 samples of 80', () => {
    // Wilson's exact coverage oscillates with n and p (93.4% at n = 60, p = 0.3); at n = 80,
    // p = 0.25 it is 94.8%, computed from the binomial distribution.
    const prng = new Prng('coverage-proportion');
    let covered = 0;
    for (let trial = 0; trial < 1000; trial++) {
      let successes = 0;
      for (let i = 0; i < 80; i++) if (prng.nextFloat() < 0.25) successes++;
      const interval = proportionConfidenceInterval({ successes, n: 80 })!;
      if (interval.low <= 0.25 && 0.25 <= interval.high) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(COVERAGE.low);
    expect(covered).toBeLessThanOrEqual(COVERAGE.high);
  });
});

describe('margins of error and sample sizes', { timeout: 60_000 }, () => {
  it('gives the classic ±5% / 385 for a proportion, and 370 from a population of 10,000', () => {
    expect(sampleSizeForProportion({ margin: 0.05 })).toBe(385);
    expect(sampleSizeForProportion({ margin: 0.05, populationSize: 10_000 })).toBe(370);
    expect(marginOfErrorForProportion({ n: 385 })).toBeLessThanOrEqual(0.05);
    expect(marginOfErrorForProportion({ n: 384 })).toBeGreaterThan(0.05);
    expect(marginOfErrorForProportion({ n: 100, populationSize: 100 })).toBe(0);
  });

  it('finds the smallest n whose t-based margin for a mean is within the target', () => {
    for (const [margin, std, populationSize] of [
      [1, 10, undefined],
      [0.5, 3, 1000],
      [2, 4, undefined],
    ] as const) {
      const options = populationSize === undefined ? {} : { populationSize };
      const n = sampleSizeForMean({ margin, std, ...options });
      expect(marginOfErrorForMean({ n, std, ...options })).toBeLessThanOrEqual(margin);
      expect(marginOfErrorForMean({ n: n - 1, std, ...options })).toBeGreaterThan(margin);
    }
  });

  it('matches the interval a sample of that size gets', () => {
    const margin = marginOfErrorForMean({ n: 50, std: 7, populationSize: 500 });
    const interval = meanConfidenceInterval({ n: 50, mean: 0, std: 7, populationSize: 500 })!;
    expect(margin).toBeCloseTo(interval.marginOfError, 12);
  });
});
