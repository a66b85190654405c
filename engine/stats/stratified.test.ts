import { describe, expect, it } from 'vitest';
import { Prng } from '../sampling/prng';
import { stratifiedSample } from '../sampling/plans';
import { describeNumeric } from './descriptive';
import { stratifiedMean, stratifiedProportion } from './stratified';

describe('stratifiedMean', { timeout: 60_000 }, () => {
  it('weights strata by population share (hand-checked)', () => {
    const estimate = stratifiedMean([
      { id: 'a', populationSize: 100, count: 10, mean: 10, std: 2 },
      { id: 'b', populationSize: 300, count: 10, mean: 20, std: 4 },
    ]);
    // W = 0.25, 0.75: mean 17.5; v = 0.0625·0.9·4/10 + 0.5625·(1 − 1/30)·16/10.
    expect(estimate.estimate).toBeCloseTo(17.5, 12);
    const variance = 0.0625 * 0.9 * 0.4 + 0.5625 * (29 / 30) * 1.6;
    expect(estimate.ci95!.standardError).toBeCloseTo(Math.sqrt(variance), 12);
    // Satterthwaite: (Σ a s²)² / Σ (a s²)²/(n − 1).
    const terms = [0.0625 * 0.9 * 0.4, 0.5625 * (29 / 30) * 1.6];
    expect(estimate.ci95!.df).toBeCloseTo(
      variance ** 2 / (terms[0]! ** 2 / 9 + terms[1]! ** 2 / 9),
      9,
    );
  });

  it('explains why it cannot estimate', () => {
    expect(
      stratifiedMean([
        { id: 'a', populationSize: 10, count: 0, mean: null, std: null },
        { id: 'b', populationSize: 10, count: 5, mean: 1, std: 1 },
      ]).problem,
    ).toMatch(/"a" has no observations/);
    const single = stratifiedMean([{ id: 'a', populationSize: 10, count: 1, mean: 3, std: null }]);
    expect(single.estimate).toBe(3);
    expect(single.ci95).toBeNull();
    // A stratum read in full has no sampling variance.
    const census = stratifiedMean([{ id: 'a', populationSize: 3, count: 3, mean: 3, std: 1 }]);
    expect(census.ci95!.marginOfError).toBe(0);
  });

  it('covers the population mean in about 95% of 1,000 equal-allocation samples', () => {
    // Three partitions with different levels: an unweighted mean of an equal allocation
    // would be biased towards the small partition.
    const sizes = [200, 1000, 3000];
    const prng = new Prng('strata-population');
    const levels = [50, 20, 10];
    const values = sizes.map((size, h) =>
      Array.from({ length: size }, () => levels[h]! + (h + 1) * 3 * prng.nextGaussian()),
    );
    const all = values.flat();
    const trueMean = all.reduce((a, b) => a + b, 0) / all.length;
    const strata = sizes.map((size, h) => ({
      id: String(h),
      ranges: [{ partition: h, start: 0, end: size }],
    }));
    let covered = 0;
    let unweightedFarther = 0;
    for (let seed = 0; seed < 1000; seed++) {
      const plan = stratifiedSample({ strata, size: 90, allocation: 'equal', seed });
      const summaries = plan.strata!.map((stratum, h) => {
        const sample = stratum.partitions[0]!.offsets.map((offset) => values[h]![offset]!);
        const stats = describeNumeric(sample);
        return {
          id: stratum.id,
          populationSize: stratum.populationSize,
          count: stats.count,
          mean: stats.mean,
          std: stats.std,
          sample,
        };
      });
      const estimate = stratifiedMean(summaries);
      if (estimate.ci95!.low <= trueMean && trueMean <= estimate.ci95!.high) covered++;
      const unweighted = describeNumeric(summaries.flatMap((s) => s.sample)).mean!;
      if (Math.abs(unweighted - trueMean) > Math.abs(estimate.estimate! - trueMean))
        unweightedFarther++;
    }
    expect(covered).toBeGreaterThanOrEqual(930);
    expect(covered).toBeLessThanOrEqual(970);
    expect(unweightedFarther).toBeGreaterThan(990);
  });
});

describe('stratifiedProportion', { timeout: 60_000 }, () => {
  it('weights stratum proportions by population share', () => {
    const estimate = stratifiedProportion([
      { id: 'a', populationSize: 100, count: 10, successes: 5 },
      { id: 'b', populationSize: 300, count: 10, successes: 1 },
    ]);
    expect(estimate.estimate).toBeCloseTo(0.25 * 0.5 + 0.75 * 0.1, 12);
    const variance = (0.0625 * 0.9 * 0.25) / 9 + (0.5625 * (29 / 30) * 0.09) / 9;
    expect(estimate.ci95!.standardError).toBeCloseTo(Math.sqrt(variance), 12);
    expect(estimate.ci95!.method).toBe('normal');
  });
});
