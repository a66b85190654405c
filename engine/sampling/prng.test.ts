import { describe, expect, it } from 'vitest';
import { chiSquareQuantile } from '../stats/distributions';
import { Prng, seedToUint64 } from './prng';

// Outputs of the reference C code (xoshiro128** 1.1 and SplitMix64 by Blackman and Vigna),
// seeded the same way: SplitMix64 from the 64-bit seed, two outputs split into four words.
// String seeds are FNV-1a 64 of their UTF-8 bytes.
const REFERENCE = [
  {
    seed: 42,
    state: [803958421, 3184996902, 2993090819, 686809907],
    out: [1776835114, 4165204688, 17111135, 2317295270, 2792088233, 2554630222, 2940343271],
  },
  {
    seed: 0,
    state: [2065550767, 3793791033, 2713282036, 1853398634],
    out: [3737715805, 2584255861, 2876756834, 3286328325, 1553311962, 1625202774, 3260698944],
  },
  {
    seed: -1,
    state: [459615264, 3839455607, 3690365641, 3919575143],
    out: [477689756, 2493998634, 555695776, 607808419, 61340979, 301466976, 2478485284],
  },
  {
    seed: 'logscope',
    state: [3352036605, 603933063, 130617931, 1623855996],
    out: [4025901217, 2170409089, 2596133335, 3157899954, 2829619397, 1332746292, 4279841412],
  },
  {
    seed: 'héllo',
    state: [4244932857, 1075410719, 1421276122, 2375716995],
    out: [1022900896, 2291353736, 3680614998, 3903802416, 3500825326, 146281800, 517903959],
  },
] as const;

describe('Prng (xoshiro128**)', () => {
  it.each(REFERENCE)(
    'matches the reference implementation for seed $seed',
    ({ seed, state, out }) => {
      const prng = new Prng(seed);
      expect(prng.state()).toEqual(state);
      expect(Array.from({ length: out.length }, () => prng.nextUint32())).toEqual(out);
    },
  );

  it('matches the reference step function from a raw state', () => {
    const prng = Prng.fromState([1, 2, 3, 4]);
    const out = Array.from({ length: 6 }, () => prng.nextUint32());
    expect(out).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it('hashes string seeds with FNV-1a 64', () => {
    expect(seedToUint64('logscope')).toBe(15094320025545601567n);
    expect(seedToUint64(-1)).toBe(2n ** 64n - 1n);
  });

  it('repeats exactly for the same seed and resumes exactly from a saved state', () => {
    const a = new Prng('job-7');
    const b = new Prng('job-7');
    for (let i = 0; i < 100; i++) expect(a.nextUint32()).toBe(b.nextUint32());
    expect(a.state().every((word) => Number.isInteger(word) && word >= 0 && word < 2 ** 32)).toBe(
      true,
    );
    const resumed = Prng.fromState(a.state());
    for (let i = 0; i < 100; i++) expect(resumed.nextFloat()).toBe(a.nextFloat());
    expect(new Prng(1).nextUint32()).not.toBe(new Prng(2).nextUint32());
    expect(() => Prng.fromState([0, 0, 0, 0])).toThrow(RangeError);
  });

  it('gives floats in [0, 1) and open floats in (0, 1) with 53-bit resolution', () => {
    const prng = new Prng(9);
    let bad = 0;
    for (let i = 0; i < 10_000; i++) {
      const x = prng.nextFloat();
      const y = prng.nextOpenFloat();
      if (!(x >= 0 && x < 1 && Number.isInteger(x * 2 ** 53) && y > 0 && y < 1)) bad++;
    }
    expect(bad).toBe(0);
  });

  it('draws integers uniformly below any bound (chi-square, df 9, significance 0.001)', () => {
    for (const bound of [10, 2 ** 32 + 10, 3 * 2 ** 50]) {
      const prng = new Prng(bound);
      const counts = new Array<number>(10).fill(0);
      const draws = 50_000;
      let outside = 0;
      for (let i = 0; i < draws; i++) {
        const x = prng.nextInt(bound);
        if (!(Number.isInteger(x) && x >= 0 && x < bound)) outside++;
        counts[Math.floor((x / bound) * 10)]!++;
      }
      expect(outside).toBe(0);
      const expected = draws / 10;
      const chiSquare = counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
      expect(chiSquare).toBeLessThan(chiSquareQuantile(0.999, 9));
    }
  });

  it('rejects bounds it cannot draw exactly', () => {
    const prng = new Prng(1);
    expect(() => prng.nextInt(0)).toThrow(RangeError);
    expect(() => prng.nextInt(1.5)).toThrow(RangeError);
    expect(() => prng.nextInt(2 ** 53 + 2)).toThrow(RangeError);
    expect(prng.nextInt(1)).toBe(0);
    expect(prng.nextIntBetween(5, 5)).toBe(5);
  });

  it('draws standard normal deviates (mean 0, variance 1 within 4 standard errors)', () => {
    const prng = new Prng(3);
    const n = 40_000;
    let sum = 0;
    let sumSquares = 0;
    for (let i = 0; i < n; i++) {
      const z = prng.nextGaussian();
      sum += z;
      sumSquares += z * z;
    }
    expect(Math.abs(sum / n)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(sumSquares / n - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
  });
});
