import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { describeNumeric } from './descriptive';
import { MomentAccumulator } from './moments';

const close = (actual: number | null, expected: number | null, tolerance = 1e-9) => {
  if (expected === null) return expect(actual).toBeNull();
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(
    tolerance * Math.max(1, Math.abs(expected)),
  );
};

const accumulate = (values: readonly unknown[]) => {
  const accumulator = new MomentAccumulator();
  for (const value of values) accumulator.add(value);
  return accumulator;
};

const values = fc.array(
  fc.oneof(
    { weight: 8, arbitrary: fc.double({ min: -1e4, max: 1e4, noNaN: true }) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(null, 'x', NaN, Infinity) },
  ),
  { maxLength: 300 },
);

describe('MomentAccumulator', () => {
  it('equals the batch statistics, missing values included', () => {
    fc.assert(
      fc.property(values, (list) => {
        const streamed = accumulate(list).summary();
        const batch = describeNumeric(list);
        expect(streamed.count).toBe(batch.count);
        expect(streamed.missingByReason).toEqual(batch.missingByReason);
        expect(streamed.min).toBe(batch.min);
        expect(streamed.max).toBe(batch.max);
        close(streamed.mean, batch.mean);
        close(streamed.variance, batch.variance);
        close(streamed.std, batch.std);
        if (batch.std !== null && batch.std > 1e-3) {
          close(streamed.skewness, batch.skewness, 1e-7);
          close(streamed.kurtosis, batch.kurtosis, 1e-7);
        }
      }),
    );
  });

  it('merged from any split equals one pass over everything (Chan/Pébay merge)', () => {
    fc.assert(
      fc.property(values, fc.array(fc.nat(), { maxLength: 5 }), (list, cuts) => {
        const points = [...new Set(cuts.map((cut) => cut % (list.length + 1)))].sort(
          (a, b) => a - b,
        );
        const parts: unknown[][] = [];
        let previous = 0;
        for (const point of [...points, list.length]) {
          parts.push(list.slice(previous, point));
          previous = point;
        }
        const merged = parts.map(accumulate).reduce((a, b) => a.merge(b), new MomentAccumulator());
        const whole = accumulate(list).summary();
        const result = merged.summary();
        expect(result.count).toBe(whole.count);
        expect(result.missing).toBe(whole.missing);
        expect(result.min).toBe(whole.min);
        expect(result.max).toBe(whole.max);
        close(result.mean, whole.mean);
        close(result.variance, whole.variance);
        if (whole.std !== null && whole.std > 1e-3) {
          close(result.skewness, whole.skewness, 1e-7);
          close(result.kurtosis, whole.kurtosis, 1e-7);
        }
      }),
    );
  });

  it('survives a round trip through its serialisable state', () => {
    const accumulator = accumulate([3, 1, 4, 1, 5, 9, 2, 6, null]);
    const restored = MomentAccumulator.fromState(JSON.parse(JSON.stringify(accumulator.state())));
    expect(restored.summary()).toEqual(accumulator.summary());
  });

  it('stays accurate for values far from zero (no Σx² − (Σx)²/n cancellation)', () => {
    const summary = accumulate([1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16]).summary();
    close(summary.variance, 30, 1e-9);
    close(summary.mean, 1e9 + 10, 1e-15);
  });

  it('reports nulls for an empty or single-value stream', () => {
    expect(new MomentAccumulator().summary()).toMatchObject({
      count: 0,
      mean: null,
      min: null,
      variance: null,
    });
    expect(accumulate([5]).summary()).toMatchObject({ count: 1, mean: 5, variance: null, sum: 5 });
  });
});
