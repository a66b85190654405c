import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as ss from 'simple-statistics';
import { correlationMatrix, midranks, pearson, spearman } from './correlation';

describe('pearson and spearman', () => {
  it('are ±1 for exact linear relations and Spearman is 1 for any increasing one', () => {
    const x = [1, 2, 3, 4, 5];
    expect(pearson(x, [3, 5, 7, 9, 11])).toBeCloseTo(1, 15);
    expect(pearson(x, [10, 8, 6, 4, 2])).toBeCloseTo(-1, 15);
    expect(
      spearman(
        x,
        x.map((v) => Math.exp(v)),
      ),
    ).toBe(1);
    expect(
      pearson(
        x,
        x.map((v) => Math.exp(v)),
      )!,
    ).toBeLessThan(1);
  });

  it('matches a hand-computed Pearson r', () => {
    // x̄ = 3, ȳ = 4: dx = −2…2, dy = −2, 1, −1, 0, 2; Σdxdy = 7, Σdx² = Σdy² = 10 → r = 0.7.
    expect(pearson([1, 2, 3, 4, 5], [2, 5, 3, 4, 6])).toBeCloseTo(0.7, 15);
  });

  it('gives tied values their mean rank', () => {
    expect([...midranks([10, 20, 10, 30, 20, 20])]).toEqual([1.5, 4, 1.5, 6, 4, 4]);
  });

  it('is null for constants and fewer than two pairs', () => {
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(pearson([1], [2])).toBeNull();
    expect(spearman([], [])).toBeNull();
  });

  it('agrees with simple-statistics on random data, ties included', () => {
    const pairs = fc
      .array(
        fc.tuple(fc.integer({ min: -5, max: 5 }), fc.double({ min: -1e3, max: 1e3, noNaN: true })),
        {
          minLength: 3,
          maxLength: 100,
        },
      )
      .map((list) => ({ x: list.map(([a]) => a), y: list.map(([, b]) => b) }));
    fc.assert(
      fc.property(pairs, ({ x, y }) => {
        fc.pre(ss.sampleStandardDeviation(x) > 0 && ss.sampleStandardDeviation(y) > 1e-9);
        expect(pearson(x, y)!).toBeCloseTo(ss.sampleCorrelation(x, y), 9);
        expect(spearman(x, y)!).toBeCloseTo(ss.sampleRankCorrelation(x, y), 9);
      }),
    );
  });
});

describe('correlationMatrix', () => {
  it('uses pairwise-complete rows and reports how many', () => {
    const matrix = correlationMatrix({
      a: [1, 2, 3, 4, null, 6],
      b: [2, 4, 6, 8, 10, 'n/a'],
      c: [5, 3, 'x', 1, 0, -1],
    });
    expect(matrix.fields).toEqual(['a', 'b', 'c']);
    expect(matrix.n).toEqual([
      [5, 4, 4],
      [4, 5, 4],
      [4, 4, 5],
    ]);
    expect(matrix.r[0]![1]).toBeCloseTo(1, 15);
    expect(matrix.r[0]![0]).toBe(1);
    // a and c on rows 0, 1, 3, 5: (1,5), (2,3), (4,1), (6,-1).
    expect(matrix.r[0]![2]).toBeCloseTo(pearson([1, 2, 4, 6], [5, 3, 1, -1])!, 15);
    expect(matrix.r[2]![0]).toBe(matrix.r[0]![2]);
  });

  it('computes Spearman within each pair and marks a constant field null', () => {
    const matrix = correlationMatrix(
      { x: [1, 2, 3, 4], y: [1, 4, 9, 16], k: [7, 7, 7, 7] },
      'spearman',
    );
    expect(matrix.r[0]![1]).toBe(1);
    expect(matrix.r[0]![2]).toBeNull();
    expect(matrix.r[2]![2]).toBeNull();
    expect(() => correlationMatrix({ x: [1, 2], y: [1] })).toThrow(RangeError);
  });
});
