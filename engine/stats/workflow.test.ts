import { describe, expect, it } from 'vitest';
import { Prng } from '../sampling/prng';
import { randomSample, type SamplePlan } from '../sampling/plans';
import { correlationMatrix, frequencies, sampleWarnings, summarizeSample } from './index';

/**
 * The flow a sample job follows, on a simulated topic: "what does `amount` look like in
 * demo.orders, and how sure am I?" — warn, plan, read, summarise, and compare with the truth.
 */
describe('sample job flow (pure parts)', { timeout: 60_000 }, () => {
  // A topic of 3 partitions × 200,000 orders whose amount is a deterministic function of the
  // offset (so the "full scan" truth is known), with 1% of values missing.
  const ranges = [0, 1, 2].map((partition) => ({ partition, start: 0, end: 200_000 }));
  const amountAt = (partition: number, offset: number): number | null => {
    const prng = new Prng(`${partition}:${offset}`);
    if (prng.nextFloat() < 0.01) return null;
    return Math.round(100 * Math.exp(3 + 0.5 * prng.nextGaussian())) / 100;
  };
  const regionAt = (partition: number) => ['eu', 'us', 'apac'][partition]!;

  it('plans, reads and summarises a 5,000-message sample whose interval covers the full-scan mean', () => {
    expect(sampleWarnings({ populationSize: 600_000, size: 5000 }, { recordsPerBatch: 1 })).toEqual(
      [],
    );

    const plan: SamplePlan = randomSample({ ranges, size: 5000, seed: 'demo.orders' });
    const amounts: (number | null)[] = [];
    const regions: string[] = [];
    for (const { partition, offsets } of plan.partitions) {
      for (const offset of offsets) {
        amounts.push(amountAt(partition, offset));
        regions.push(regionAt(partition));
      }
    }
    const result = summarizeSample(amounts, { populationSize: plan.populationSize });
    expect(result.stats.count + result.stats.missing).toBe(5000);
    expect(result.stats.missing).toBeGreaterThan(20);

    // The truth: the mean of a lognormal(3, 0.5) is e^(3.125) ≈ 22.76; a full scan of this
    // topic lands within a few cents of it (standard error 12.1/√600,000 ≈ 0.016).
    const trueMean = Math.exp(3 + 0.125);
    expect(result.ci95!.low).toBeLessThan(trueMean);
    expect(result.ci95!.high).toBeGreaterThan(trueMean);
    expect(result.ci95!.marginOfError).toBeLessThan(0.5);
    expect(result.box!.outlierCount).toBeGreaterThan(0);

    const byRegion = frequencies(regions, { populationSize: plan.populationSize });
    expect(byRegion.distinct).toBe(3);
    for (const { proportion } of byRegion.frequencies)
      expect(Math.abs(proportion - 1 / 3)).toBeLessThan(0.03);

    const correlations = correlationMatrix({
      amount: amounts,
      partition: regions.map((r) => ['eu', 'us', 'apac'].indexOf(r)),
    });
    expect(Math.abs(correlations.r[0]![1]!)).toBeLessThan(0.05);
  });
});
