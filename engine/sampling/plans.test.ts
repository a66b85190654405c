import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chiSquareQuantile } from '../stats/distributions';
import {
  floydSample,
  planSample,
  randomSample,
  randomSampleWithReplacement,
  strataByPartition,
  stratifiedSample,
  systematicSample,
  type SamplePlan,
} from './plans';
import { Prng } from './prng';
import type { PartitionRange } from './ranges';

/** Chi-square goodness-of-fit statistic of observed counts against expected counts. */
function chiSquare(observed: readonly number[], expected: readonly number[]): number {
  return observed.reduce((sum, o, i) => sum + (o - expected[i]!) ** 2 / expected[i]!, 0);
}

/**
 * Every test below runs at fixed seeds, so it is deterministic; the critical values are the
 * 0.999 quantiles, i.e. a correct sampler would fail such a test with probability 0.001 for a
 * random seed (and these seeds are known to pass).
 */
const critical = (df: number) => chiSquareQuantile(0.999, df);

const flat = (plan: SamplePlan) =>
  plan.partitions.flatMap(({ partition, offsets }) =>
    offsets.map((offset) => ({ partition, offset })),
  );

const isStrictlyAscending = (values: readonly number[]) =>
  values.every((value, i) => i === 0 || value > values[i - 1]!);

const inRanges = (ranges: readonly PartitionRange[], partition: number, offset: number) =>
  ranges.some((r) => r.partition === partition && offset >= r.start && offset < r.end);

// Uneven partitions, not starting at 0: 30 + 50 + 20 = 100 offsets.
const RANGES: PartitionRange[] = [
  { partition: 0, start: 0, end: 30 },
  { partition: 1, start: 100, end: 150 },
  { partition: 2, start: 7, end: 27 },
];
const unitOf = (partition: number, offset: number) =>
  partition === 0 ? offset : partition === 1 ? 30 + offset - 100 : 80 + offset - 7;

const rangesArbitrary = fc
  .uniqueArray(
    fc.record({
      partition: fc.nat(6),
      start: fc.nat(1_000_000),
      length: fc.nat(400),
    }),
    { selector: (r) => r.partition, maxLength: 5 },
  )
  .map((list) =>
    list.map(({ partition, start, length }) => ({ partition, start, end: start + length })),
  );

describe('randomSample (without replacement)', { timeout: 60_000 }, () => {
  it('never repeats an offset, stays in the ranges, sorts per partition, has size min(n, N)', () => {
    fc.assert(
      fc.property(rangesArbitrary, fc.nat(600), fc.integer(), (ranges, size, seed) => {
        const plan = randomSample({ ranges, size, seed });
        const N = ranges.reduce((sum, r) => sum + r.end - r.start, 0);
        const all = flat(plan);
        expect(plan.size).toBe(Math.min(size, N));
        expect(all).toHaveLength(plan.size);
        const distinct = new Set(all.map(({ partition, offset }) => `${partition}:${offset}`));
        expect(distinct.size).toBe(all.length);
        expect(all.filter(({ partition, offset }) => !inRanges(ranges, partition, offset))).toEqual(
          [],
        );
        for (const { offsets } of plan.partitions) expect(isStrictlyAscending(offsets)).toBe(true);
        expect(isStrictlyAscending(plan.partitions.map((p) => p.partition))).toBe(true);
      }),
    );
  });

  it('is reproducible from its seed, and different seeds give different samples', () => {
    const a = randomSample({ ranges: RANGES, size: 20, seed: 'abc' });
    expect(randomSample({ ranges: RANGES, size: 20, seed: 'abc' })).toEqual(a);
    expect(randomSample({ ranges: RANGES, size: 20, seed: 'abd' })).not.toEqual(a);
  });

  it('uses memory for the sample only: 1,000 offsets from 10^12', () => {
    const ranges = [
      { partition: 0, start: 0, end: 4e11 },
      { partition: 1, start: 5e11, end: 1.1e12 },
    ];
    const plan = randomSample({ ranges, size: 1000, seed: 1 });
    expect(plan.populationSize).toBe(1e12);
    expect(flat(plan)).toHaveLength(1000);
    for (const { partition, offset } of flat(plan))
      expect(inRanges(ranges, partition, offset)).toBe(true);
    // Both partitions get about their share (40% / 60%), not just the first.
    expect(plan.partitions.map((p) => p.offsets.length).every((count) => count > 300)).toBe(true);
  });

  it('covers every offset uniformly (chi-square over 100 offsets, 2,000 seeded samples)', () => {
    const counts = new Array<number>(100).fill(0);
    const byPartition = [0, 0, 0];
    const trials = 2000;
    for (let seed = 0; seed < trials; seed++) {
      for (const { partition, offset } of flat(randomSample({ ranges: RANGES, size: 10, seed }))) {
        counts[unitOf(partition, offset)]!++;
        byPartition[partition]!++;
      }
    }
    expect(
      chiSquare(
        counts,
        counts.map(() => (trials * 10) / 100),
      ),
    ).toBeLessThan(critical(99));
    // Partitions are covered in proportion to their sizes (30 : 50 : 20).
    const expected = [0.3, 0.5, 0.2].map((share) => share * trials * 10);
    expect(chiSquare(byPartition, expected)).toBeLessThan(critical(2));
  });

  it('makes every subset equally likely (Floyd: all 20 3-subsets of 6, 6,000 draws)', () => {
    const counts = new Map<string, number>();
    const prng = new Prng('subsets');
    for (let i = 0; i < 6000; i++) {
      const key = [...floydSample(6, 3, prng)].sort().join(',');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(20);
    expect(chiSquare([...counts.values()], new Array(20).fill(300))).toBeLessThan(critical(19));
  });
});

describe('randomSampleWithReplacement', { timeout: 60_000 }, () => {
  it('draws exactly n offsets in range, repeats allowed, uniform over offsets', () => {
    const counts = new Array<number>(100).fill(0);
    let repeats = 0;
    let unsorted = 0;
    for (let seed = 0; seed < 500; seed++) {
      const plan = randomSampleWithReplacement({ ranges: RANGES, size: 40, seed });
      const all = flat(plan);
      expect(all).toHaveLength(40);
      repeats += all.length - new Set(all.map((x) => unitOf(x.partition, x.offset))).size;
      for (const { partition, offset } of all) counts[unitOf(partition, offset)]!++;
      const units = all.map(({ partition, offset }) => unitOf(partition, offset));
      if (units.some((unit, i) => i > 0 && unit < units[i - 1]!)) unsorted++;
    }
    expect(unsorted).toBe(0);
    // 40 draws from 100 repeat a unit about 40 − 100·(1 − 0.99^40) ≈ 6.9 times per sample.
    expect(repeats / 500).toBeGreaterThan(5);
    expect(repeats / 500).toBeLessThan(9);
    expect(
      chiSquare(
        counts,
        counts.map(() => (500 * 40) / 100),
      ),
    ).toBeLessThan(critical(99));
  });
});

describe('systematicSample', { timeout: 60_000 }, () => {
  it('with a size, takes exactly n evenly spaced offsets, each with chance n/N', () => {
    const counts = new Array<number>(100).fill(0);
    const gaps = new Set<number>();
    const sizes = new Set<number>();
    for (let seed = 0; seed < 3000; seed++) {
      // k = 100/7 ≈ 14.29: the fractional interval still gives exactly 7.
      const plan = systematicSample({ ranges: RANGES, size: 7, seed });
      const units = flat(plan).map(({ partition, offset }) => unitOf(partition, offset));
      sizes.add(units.length);
      for (let i = 1; i < units.length; i++) gaps.add(units[i]! - units[i - 1]!);
      for (const unit of units) counts[unit]!++;
    }
    expect([...sizes]).toEqual([7]);
    expect([...gaps].sort()).toEqual([14, 15]);
    expect(
      chiSquare(
        counts,
        counts.map(() => (3000 * 7) / 100),
      ),
    ).toBeLessThan(critical(99));
  });

  it('with a step, takes every k-th offset from a random start', () => {
    const sizes = new Set<number>();
    for (let seed = 0; seed < 50; seed++) {
      const plan = systematicSample({ ranges: RANGES, step: 8, seed });
      const units = flat(plan).map(({ partition, offset }) => unitOf(partition, offset));
      expect(units[0]!).toBeLessThan(8);
      for (let i = 1; i < units.length; i++) expect(units[i]! - units[i - 1]!).toBe(8);
      sizes.add(units.length);
      expect(plan.inclusionProbability).toBe(1 / 8);
    }
    expect([...sizes].sort()).toEqual([12, 13]);
  });

  it('handles populations near 2^53 without losing exactness', () => {
    const plan = systematicSample({
      ranges: [{ partition: 0, start: 0, end: 2 ** 52 }],
      size: 1000,
      seed: 5,
    });
    const offsets = plan.partitions[0]!.offsets;
    expect(offsets).toHaveLength(1000);
    expect(offsets[999]!).toBeLessThan(2 ** 52);
    // N/n = 4503599627370.496: every gap is its floor or its ceiling, exactly.
    const gaps = new Set(offsets.slice(1).map((offset, i) => offset - offsets[i]!));
    expect([...gaps].sort()).toEqual([4503599627370, 4503599627371]);
  });
});

describe('stratifiedSample', { timeout: 60_000 }, () => {
  it('draws the allocated number from each stratum, inside its ranges', () => {
    const plan = stratifiedSample({
      strata: strataByPartition(RANGES),
      size: 30,
      allocation: 'equal',
      seed: 11,
    });
    expect(plan.strata!.map((s) => [s.id, s.populationSize, s.size])).toEqual([
      ['0', 30, 10],
      ['1', 50, 10],
      ['2', 20, 10],
    ]);
    for (const stratum of plan.strata!) {
      for (const { partition } of stratum.partitions) expect(String(partition)).toBe(stratum.id);
    }
    expect(flat(plan)).toHaveLength(30);
    expect(plan.strata![2]!.inclusionProbability).toBe(0.5);
  });

  it('samples uniformly within each stratum (chi-square per stratum)', () => {
    const counts = new Array<number>(100).fill(0);
    const trials = 2000;
    for (let seed = 0; seed < trials; seed++) {
      const plan = stratifiedSample({
        strata: strataByPartition(RANGES),
        size: 12,
        allocation: 'equal',
        seed,
      });
      for (const { partition, offset } of flat(plan)) counts[unitOf(partition, offset)]!++;
    }
    // 4 of 30, 4 of 50, 4 of 20 per sample.
    for (const [from, to, size] of [
      [0, 30, 30],
      [30, 80, 50],
      [80, 100, 20],
    ] as const) {
      const observed = counts.slice(from, to);
      expect(
        chiSquare(
          observed,
          observed.map(() => (trials * 4) / size),
        ),
      ).toBeLessThan(critical(size - 1));
    }
  });

  it('accepts strata made of several ranges (a time bucket over partitions) and rejects overlaps', () => {
    const strata = [
      {
        id: 'morning',
        ranges: [
          { partition: 0, start: 0, end: 15 },
          { partition: 1, start: 100, end: 120 },
        ],
      },
      {
        id: 'evening',
        ranges: [
          { partition: 0, start: 15, end: 30 },
          { partition: 1, start: 120, end: 150 },
        ],
      },
    ];
    const plan = stratifiedSample({ strata, size: 16, allocation: 'proportional', seed: 3 });
    expect(plan.strata!.map((s) => s.size)).toEqual([7, 9]);
    for (const { partition, offset } of flat(plan))
      expect(inRanges(RANGES, partition, offset)).toBe(true);
    expect(() =>
      stratifiedSample({
        strata: [strata[0]!, { id: 'x', ranges: [{ partition: 0, start: 10, end: 20 }] }],
        size: 4,
        allocation: 'equal',
        seed: 1,
      }),
    ).toThrow(/overlap/);
  });
});

describe('planSample', { timeout: 60_000 }, () => {
  it('dispatches on the strategy, stratifying by partition when no strata are given', () => {
    expect(planSample({ strategy: 'random', ranges: RANGES, size: 5, seed: 1 }).strategy).toBe(
      'random',
    );
    expect(
      planSample({ strategy: 'random-with-replacement', ranges: RANGES, size: 5, seed: 1 }).size,
    ).toBe(5);
    expect(planSample({ strategy: 'systematic', ranges: RANGES, size: 5, seed: 1 }).size).toBe(5);
    const stratified = planSample({
      strategy: 'stratified',
      ranges: RANGES,
      size: 10,
      allocation: 'proportional',
      seed: 1,
    });
    expect(stratified.strata!.map((s) => s.size)).toEqual([3, 5, 2]);
  });

  it('clamps a sample without replacement to the population and records what was asked', () => {
    const plan = randomSample({ ranges: RANGES, size: 500, seed: 1 });
    expect(plan.requestedSize).toBe(500);
    expect(plan.size).toBe(100);
    expect(plan.inclusionProbability).toBe(1);
    expect(randomSample({ ranges: [], size: 5, seed: 1 }).size).toBe(0);
    expect(() => randomSample({ ranges: RANGES, size: -1, seed: 1 })).toThrow(RangeError);
  });
});
