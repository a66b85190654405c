import { describe, expect, it } from 'vitest';
import { expectedBatchesRead } from './cost';

describe('expectedBatchesRead', () => {
  it('is the sampling fraction when every batch holds one record', () => {
    const estimate = expectedBatchesRead({
      populationSize: 1000,
      sampleSize: 37,
      recordsPerBatch: 1,
    });
    expect(estimate.fraction).toBeCloseTo(0.037, 12);
    expect(estimate.totalBatches).toBe(1000);
  });

  it('matches hand-counted cases without and with replacement', () => {
    // 4 offsets in 2 batches, 2 drawn without replacement: both from one batch in 2 of the 6
    // pairs, so a given batch is missed with probability 1/6.
    expect(
      expectedBatchesRead({ populationSize: 4, sampleSize: 2, recordsPerBatch: 2 }).fraction,
    ).toBeCloseTo(5 / 6, 12);
    // With replacement a batch is missed with probability (1/2)^2.
    expect(
      expectedBatchesRead({
        populationSize: 4,
        sampleSize: 2,
        recordsPerBatch: 2,
        withReplacement: true,
      }).fraction,
    ).toBeCloseTo(3 / 4, 12);
  });

  it('shows that 1% of a topic with 500-record batches touches nearly every batch', () => {
    const estimate = expectedBatchesRead({
      populationSize: 10_000_000,
      sampleSize: 100_000,
      recordsPerBatch: 500,
    });
    expect(estimate.fraction).toBeGreaterThan(0.99);
    expect(
      expectedBatchesRead({ populationSize: 10_000_000, sampleSize: 10_000, recordsPerBatch: 500 })
        .fraction,
    ).toBeCloseTo(1 - (1 - 0.001) ** 500, 3);
  });
});
