import { describe, expect, it } from 'vitest';
import { chiSquareQuantile } from '../stats/distributions';
import { Prng } from './prng';
import { Reservoir, StratifiedReservoir, type ReservoirAlgorithm } from './reservoir';

const chiSquare = (observed: readonly number[], expected: number) =>
  observed.reduce((sum, o) => sum + (o - expected) ** 2 / expected, 0);

describe.each<ReservoirAlgorithm>(['L', 'R'])(
  'Reservoir, algorithm %s',
  { timeout: 60_000 },
  (algorithm) => {
    it('keeps everything until full, then exactly its capacity of distinct stream items', () => {
      const reservoir = new Reservoir<number>(5, 1, algorithm);
      for (let i = 0; i < 3; i++) reservoir.offer(i);
      expect(reservoir.items()).toEqual([0, 1, 2]);
      expect(reservoir.full).toBe(false);
      for (let i = 3; i < 10_000; i++) reservoir.offer(i);
      const items = reservoir.items();
      expect(items).toHaveLength(5);
      expect(new Set(items).size).toBe(5);
      expect(items.every((x) => x >= 0 && x < 10_000)).toBe(true);
      expect(reservoir.seen).toBe(10_000);
    });

    it('is reproducible from its seed', () => {
      const run = (seed: number) => {
        const reservoir = new Reservoir<number>(10, seed, algorithm);
        for (let i = 0; i < 5000; i++) reservoir.offer(i);
        return reservoir.items();
      };
      expect(run(7)).toEqual(run(7));
      expect(run(7)).not.toEqual(run(8));
    });

    it('keeps each item of the stream with probability k/t (chi-square over 50 items)', () => {
      const counts = new Array<number>(50).fill(0);
      const trials = 4000;
      const prng = new Prng(`inclusion-${algorithm}`);
      for (let trial = 0; trial < trials; trial++) {
        const reservoir = new Reservoir<number>(5, prng, algorithm);
        for (let i = 0; i < 50; i++) reservoir.offer(i);
        for (const item of reservoir.items()) counts[item]!++;
      }
      expect(chiSquare(counts, (trials * 5) / 50)).toBeLessThan(chiSquareQuantile(0.999, 49));
    });

    it('makes every k-subset equally likely (all 15 pairs of 6 items)', () => {
      const counts = new Map<string, number>();
      const prng = new Prng(`pairs-${algorithm}`);
      for (let trial = 0; trial < 3000; trial++) {
        const reservoir = new Reservoir<number>(2, prng, algorithm);
        for (let i = 0; i < 6; i++) reservoir.offer(i);
        const key = reservoir.items().sort().join(',');
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      expect(counts.size).toBe(15);
      expect(chiSquare([...counts.values()], 200)).toBeLessThan(chiSquareQuantile(0.999, 14));
    });
  },
);

describe('Reservoir capacity 0 and validation', { timeout: 60_000 }, () => {
  it('keeps nothing at capacity 0 and rejects a negative capacity', () => {
    const reservoir = new Reservoir<string>(0, 1);
    expect(reservoir.offer('a')).toBe(false);
    expect(reservoir.items()).toEqual([]);
    expect(reservoir.seen).toBe(1);
    expect(() => new Reservoir(-1, 1)).toThrow(RangeError);
  });
});

describe('StratifiedReservoir', { timeout: 60_000 }, () => {
  it('keeps a uniform sample of each stratum up to its target', () => {
    const counts = { a: new Array<number>(40).fill(0), b: new Array<number>(10).fill(0) };
    const trials = 2000;
    const prng = new Prng('strata');
    for (let trial = 0; trial < trials; trial++) {
      const reservoir = new StratifiedReservoir<number>({ seed: prng, targets: { a: 4, b: 4 } });
      // Interleaved strata, as a scan would see them: 40 of a, 10 of b.
      for (let i = 0; i < 50; i++) {
        if (i % 5 === 0) reservoir.offer('b', i / 5);
        else reservoir.offer('a', i - Math.floor(i / 5) - 1);
      }
      expect(reservoir.allFull()).toBe(true);
      for (const stratum of reservoir.strata()) {
        for (const item of stratum.items) counts[stratum.id as 'a' | 'b'][item]!++;
      }
    }
    expect(chiSquare(counts.a, (trials * 4) / 40)).toBeLessThan(chiSquareQuantile(0.999, 39));
    expect(chiSquare(counts.b, (trials * 4) / 10)).toBeLessThan(chiSquareQuantile(0.999, 9));
  });

  it('reports strata it was not told about, and bounds how many it tracks', () => {
    const reservoir = new StratifiedReservoir<number>({
      seed: 1,
      targets: new Map([['known', 2]]),
      defaultCapacity: 1,
      maxStrata: 3,
    });
    expect(reservoir.allFull()).toBe(false);
    for (let i = 0; i < 10; i++) reservoir.offer(`key-${i % 5}`, i);
    reservoir.offer('known', 100);
    const strata = reservoir.strata();
    expect(strata.map((s) => s.id)).toEqual(['known', 'key-0', 'key-1']);
    expect(strata.map((s) => s.seen)).toEqual([1, 2, 2]);
    expect(strata.map((s) => s.items.length)).toEqual([1, 1, 1]);
    expect(reservoir.untrackedItems).toBe(6);
    expect(reservoir.strataExceeded).toBe(true);
  });
});
