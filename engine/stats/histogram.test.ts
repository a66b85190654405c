import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { binEdges, binIndex, countInto, histogram, StreamingHistogram } from './histogram';

const SMALL = [0.5, 1.2, 1.9, 2.2, 2.8, 3.1, 3.3, 3.9, 4.4, 5.0, 6.7, 9.8, 15.0];
const ONE_TO_HUNDRED = Array.from({ length: 100 }, (_, i) => i + 1);

const expectEdges = (actual: number[], expected: number[]) => {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((edge, i) => expect(edge).toBeCloseTo(expected[i]!, 10));
};

describe('histogram rules (numpy.histogram as reference)', () => {
  it('bins by Freedman–Diaconis by default', () => {
    const result = histogram(SMALL);
    expect(result.rule).toBe('freedman-diaconis');
    expect(result.counts).toEqual([4, 5, 2, 0, 1, 0, 1]);
    expectEdges(
      result.edges,
      [
        0.5, 2.5714285714, 4.6428571429, 6.7142857143, 8.7857142857, 10.8571428571, 12.9285714286,
        15,
      ],
    );
    const uniform = histogram(ONE_TO_HUNDRED);
    expect(uniform.counts).toEqual([20, 20, 20, 20, 20]);
    expectEdges(uniform.edges, [1, 20.8, 40.6, 60.4, 80.2, 100]);
  });

  it('bins by Sturges on request', () => {
    const result = histogram(SMALL, { rule: 'sturges' });
    expect(result.counts).toEqual([7, 3, 1, 1, 1]);
    expectEdges(result.edges, [0.5, 3.4, 6.3, 9.2, 12.1, 15]);
    expect(histogram(ONE_TO_HUNDRED, { rule: 'sturges' }).counts).toEqual([
      13, 12, 13, 12, 12, 13, 12, 13,
    ]);
  });

  it('aligns fixed-width bins to multiples of the width, counting max in the last bin', () => {
    const result = histogram([3, 11, 19.9, 20, 27], { rule: 'fixed-width', width: 10 });
    expect(result.edges).toEqual([0, 10, 20, 30]);
    expect(result.counts).toEqual([1, 2, 2]);
    const onEdge = histogram([0, 5, 20], { rule: 'fixed-width', width: 10 });
    expect(onEdge.edges).toEqual([0, 10, 20]);
    expect(onEdge.counts).toEqual([2, 1]);
    expect(() => histogram([1, 2], { rule: 'fixed-width' })).toThrow(/width/);
  });
});

describe('log-spaced bins', () => {
  // Amounts spread over four orders of magnitude, as in demo.orders: 1, 10, 100, 1000, 10000.
  const DECADES = [1, 2, 3, 10, 20, 30, 100, 200, 300, 1000, 2000, 3000, 10000];

  it('spaces edges evenly in log10 so every order of magnitude gets bins', () => {
    const result = histogram(DECADES, { rule: 'log' });
    expect(result.rule).toBe('log');
    expect(result.edges[0]).toBe(1);
    expect(result.edges.at(-1)).toBe(10000);
    // log10 IQR = log10(1000) − log10(10) = 2; FD width 2·2·13^(−1/3) = 1.70 → ⌈4 / 1.70⌉ = 3 bins.
    expectEdges(result.edges, [1, 10 ** (4 / 3), 10 ** (8 / 3), 10000]);
    expect(result.binWidth).toBeCloseTo(4 / 3, 12);
    expect(result.counts).toEqual([5, 4, 4]);
    // Equal-width bins put most of the same values into the first bin.
    expect(histogram(DECADES).counts[0]).toBe(9);
  });

  it('counts every value once and keeps edges increasing (random positive data)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1e-300, max: 1e300, noNaN: true }), { minLength: 1 }),
        (values) => {
          const result = histogram(values, { rule: 'log' });
          expect(result.counts.reduce((a, b) => a + b, 0)).toBe(values.length);
          result.edges.forEach(
            (edge, i) => i && expect(edge).toBeGreaterThan(result.edges[i - 1]!),
          );
        },
      ),
    );
  });

  it('falls back to Freedman–Diaconis, saying why, when a value is not positive', () => {
    const result = histogram([0, ...DECADES], { rule: 'log' });
    expect(result.rule).toBe('freedman-diaconis');
    expect(result.fallback).toMatch(/need values > 0, the smallest is 0/);
    expect(result.counts.reduce((a, b) => a + b, 0)).toBe(DECADES.length + 1);
  });
});

describe('histogram guards', () => {
  it('returns no bins for no values and one bin around a single value', () => {
    expect(histogram([])).toMatchObject({ edges: [], counts: [], rule: 'empty' });
    expect(histogram([7, 7, 7])).toMatchObject({
      edges: [6.5, 7.5],
      counts: [3],
      rule: 'single-value',
    });
    const huge = histogram([1e20]);
    expect(huge.edges[0]!).toBeLessThan(1e20);
    expect(huge.edges[1]!).toBeGreaterThan(1e20);
  });

  it('falls back to Sturges when the IQR is zero', () => {
    const result = histogram([...Array<number>(20).fill(5), 1, 9]);
    expect(result.rule).toBe('sturges');
    expect(result.fallback).toBe('IQR is zero');
    expect(result.counts.reduce((a, b) => a + b, 0)).toBe(22);
  });

  it('caps the number of bins when outliers stretch the range', () => {
    const values = [...Array.from({ length: 1000 }, (_, i) => i / 1000), 1e12];
    const result = histogram(values, { maxBins: 50 });
    expect(result.counts).toHaveLength(50);
    expect(result.capped).toBe(true);
    const fixed = histogram(values, { rule: 'fixed-width', width: 0.01, maxBins: 100 });
    expect(fixed.counts.length).toBeLessThanOrEqual(101);
    expect(fixed.capped).toBe(true);
    expect(fixed.counts.reduce((a, b) => a + b, 0)).toBe(1001);
  });

  it('keeps edges finite and strictly increasing at the extremes of floating point', () => {
    for (const values of [
      [-1.7e308, 0, 1.7e308],
      [1e16, 1e16 + 2, 1e16 + 4],
      [5e-324, 1e-323, 2e-323],
    ]) {
      const result = histogram(values);
      expect(result.edges.every(Number.isFinite)).toBe(true);
      expect(result.edges.every((edge, i) => i === 0 || edge > result.edges[i - 1]!)).toBe(true);
      expect(result.counts.reduce((a, b) => a + b, 0)).toBe(values.length);
    }
  });

  it('puts every value in the bin whose edges contain it (random data)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.constantFrom('freedman-diaconis' as const, 'sturges' as const),
        (values, rule) => {
          const result = histogram(values, { rule });
          expect(result.counts.reduce((a, b) => a + b, 0)).toBe(values.length);
          const last = result.edges.length - 2;
          for (const x of values) {
            const bin = binIndex(x, result.edges);
            expect(bin >= 0 && bin <= last).toBe(true);
            expect(x >= result.edges[bin]!).toBe(true);
            expect(bin === last ? x <= result.edges[bin + 1]! : x < result.edges[bin + 1]!).toBe(
              true,
            );
          }
        },
      ),
    );
  });
});

describe('StreamingHistogram', () => {
  it('counts like the batch histogram, tallies values outside and missing, and merges', () => {
    const { edges } = binEdges({ count: 13, min: 0.5, max: 15, iqr: 2.2 });
    const left = new StreamingHistogram(edges);
    const right = new StreamingHistogram(edges);
    SMALL.forEach((x, i) => (i % 2 ? left : right).add(x));
    left.add(-100);
    right.add(1000);
    right.add('n/a');
    right.add(null);
    const merged = left.merge(right).result();
    expect(merged.counts).toEqual(countInto(SMALL, edges).counts);
    expect([merged.underflow, merged.overflow]).toEqual([1, 1]);
    expect(left.missing).toBe(2);
    expect(() => left.merge(new StreamingHistogram([0, 1]))).toThrow(/same edges/);
    expect(() => new StreamingHistogram([0, 0])).toThrow(RangeError);
  });
});
