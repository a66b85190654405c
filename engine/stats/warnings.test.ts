import { describe, expect, it } from 'vitest';
import { sampleWarnings } from './warnings';

const codes = (warnings: { code: string }[]) => warnings.map((w) => w.code);

describe('sampleWarnings', () => {
  it('finds nothing wrong with a modest sample of a large, well-behaved topic', () => {
    const warnings = sampleWarnings(
      { populationSize: 10_000_000, size: 5000 },
      {
        numeric: [
          { field: 'temperature', count: 500, mean: 21, std: 4, skewness: 0.1, kurtosis: 0.2 },
        ],
        categorical: [
          {
            field: 'region',
            pilotSize: 500,
            frequencies: [
              { value: 'eu', count: 300 },
              { value: 'us', count: 200 },
            ],
          },
        ],
        recordsPerBatch: 1,
      },
    );
    expect(warnings).toEqual([]);
  });

  it('says a full scan is cheaper when the sample touches most batches or is most of the range', () => {
    const batches = sampleWarnings(
      { populationSize: 1_000_000, size: 10_000 },
      { recordsPerBatch: 200 },
    );
    expect(codes(batches)).toEqual(['FULL_SCAN_CHEAPER']);
    expect(batches[0]!.details.batchFraction).toBeGreaterThan(0.8);
    expect(codes(sampleWarnings({ populationSize: 1000, size: 300 }))).toEqual([
      'FULL_SCAN_CHEAPER',
    ]);
    expect(codes(sampleWarnings({ populationSize: 1000, size: 1000 }))).toEqual([
      'SAMPLE_COVERS_POPULATION',
    ]);
  });

  it('flags empty and small strata of a plan', () => {
    const warnings = sampleWarnings({
      populationSize: 10_000,
      size: 100,
      strata: [
        { id: '0', populationSize: 9000, size: 90 },
        { id: '1', populationSize: 997, size: 3 },
        { id: '2', populationSize: 3, size: 3 },
        { id: '3', populationSize: 0, size: 0 },
        { id: '4', populationSize: 500, size: 0 },
      ],
    });
    expect(warnings.map((w) => [w.code, w.stratum])).toEqual([
      ['SMALL_STRATUM', '1'],
      ['EMPTY_STRATUM', '3'],
      ['EMPTY_STRATUM', '4'],
    ]);
  });

  it('flags strata and categories the sample will hold fewer than 5 of', () => {
    const warnings = sampleWarnings(
      { populationSize: 1_000_000, size: 1000 },
      {
        pilotSize: 1000,
        strata: [
          { id: 'key-a', count: 990 },
          { id: 'key-b', count: 8 },
          { id: 'key-c', count: 2 },
          { id: 'key-d', count: 0 },
        ],
        categorical: [
          {
            field: 'status',
            pilotSize: 250,
            frequencies: [
              { value: 'ok', count: 249 },
              { value: 'failed', count: 1 },
            ],
          },
        ],
      },
    );
    expect(warnings.map((w) => [w.code, w.stratum ?? w.category])).toEqual([
      ['SMALL_STRATUM', 'key-c'],
      ['EMPTY_STRATUM', 'key-d'],
      ['RARE_CATEGORY', 'failed'],
    ]);
    // 1 in 250 of a sample of 1,000.
    expect(warnings[2]!.details.expectedInSample).toBe(4);
  });

  it('flags heavy tails, skew too strong for the sample size, and wide intervals', () => {
    const warnings = sampleWarnings(
      { populationSize: 5_000_000, size: 200 },
      { numeric: [{ field: 'amount', count: 300, mean: 40, std: 120, skewness: 6, kurtosis: 55 }] },
    );
    expect(codes(warnings)).toEqual(['HEAVY_TAILS', 'SKEWED_FOR_SAMPLE_SIZE', 'WIDE_INTERVAL']);
    expect(warnings[1]!.details.suggestedSize).toBe(900);
    expect(warnings[2]!.details.marginOfError).toBeGreaterThan(16);
    expect(warnings[0]!.message).toMatch(/amount has heavy tails/);
  });
});
