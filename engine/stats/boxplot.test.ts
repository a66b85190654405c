import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { boxPlot } from './boxplot';

describe('boxPlot (Tukey)', () => {
  it('puts whiskers at the most extreme values within 1.5 IQR and lists the rest', () => {
    const box = boxPlot([1, 2, 3, 4, 5, 6, 7, 8, 9, 100])!;
    // Type 7: Q1 at h = 2.25 → 3.25, Q3 at h = 6.75 → 7.75; IQR 4.5; fences −3.5 and 14.5.
    expect(box).toMatchObject({
      q1: 3.25,
      median: 5.5,
      q3: 7.75,
      iqr: 4.5,
      lowerFence: -3.5,
      upperFence: 14.5,
      whiskers: [1, 9],
      outliers: [100],
      outlierCount: 1,
      outliersTruncated: false,
    });
    expect(boxPlot([])).toBeNull();
    expect(boxPlot([4])).toMatchObject({ whiskers: [4, 4], outliers: [] });
  });

  it('lists at most maxOutliers, the most extreme from both ends, with the full count', () => {
    const values = [
      ...Array.from({ length: 100 }, (_, i) => 50 + (i % 10)),
      -1000,
      -500,
      -60,
      200,
      300,
      5000,
    ];
    const box = boxPlot(values, { maxOutliers: 3 })!;
    expect(box.outlierCount).toBe(6);
    expect(box.outliers).toEqual([-1000, -500, 5000]);
    expect(box.outliersTruncated).toBe(true);
  });

  it('always has whiskers inside the fences and outliers outside (random data)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 }),
        (values) => {
          const box = boxPlot(values, { maxOutliers: 1000 })!;
          const [low, high] = box.whiskers;
          expect(values).toContain(low);
          expect(values).toContain(high);
          expect(low >= box.lowerFence && high <= box.upperFence).toBe(true);
          const outside = values.filter((x) => x < box.lowerFence || x > box.upperFence);
          expect(box.outlierCount).toBe(outside.length);
          expect(box.outliers).toEqual([...outside].sort((a, b) => a - b));
          expect(
            values
              .filter((x) => x >= box.lowerFence && x <= box.upperFence)
              .every((x) => x >= low && x <= high),
          ).toBe(true);
        },
      ),
    );
  });
});
