import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocate, allocateFromPilot, type AllocationMethod } from './allocation';

const targets = (result: { target: number }[]) => result.map((entry) => entry.target);
const strata = (sizes: number[], stds?: number[]) =>
  sizes.map((size, h) => ({ id: `s${h}`, size, ...(stds ? { std: stds[h]! } : {}) }));

describe('allocate', () => {
  it('allocates proportionally to stratum sizes', () => {
    expect(targets(allocate(10, strata([100, 200, 700]), 'proportional'))).toEqual([1, 2, 7]);
    // Shares 3.3, 3.3, 3.4: floors 3, 3, 3, and the one unit left goes to the largest remainder.
    expect(targets(allocate(10, strata([330, 330, 340]), 'proportional'))).toEqual([3, 3, 4]);
  });

  it('allocates equally, giving leftover units to earlier strata on ties', () => {
    expect(targets(allocate(10, strata([50, 50, 50]), 'equal'))).toEqual([4, 3, 3]);
    expect(targets(allocate(9, strata([50, 50, 50]), 'equal'))).toEqual([3, 3, 3]);
  });

  it('caps a stratum at its size and redistributes the excess', () => {
    expect(targets(allocate(10, strata([2, 100, 100]), 'equal'))).toEqual([2, 4, 4]);
    expect(targets(allocate(12, strata([1, 2, 100]), 'equal'))).toEqual([1, 2, 9]);
    // Everything when the sample is at least the population.
    expect(targets(allocate(500, strata([1, 2, 3]), 'equal'))).toEqual([1, 2, 3]);
  });

  it('allocates by Neyman: proportional to size times standard deviation', () => {
    // N·S = 1000 and 1000: equal halves.
    expect(targets(allocate(10, strata([100, 200], [10, 5]), 'neyman'))).toEqual([5, 5]);
    // N·S = 1000, 2000, 1000 out of 4000.
    expect(targets(allocate(8, strata([1000, 1000, 2000], [1, 2, 0.5]), 'neyman'))).toEqual([
      2, 4, 2,
    ]);
    // Share 50 of a stratum of 10: capped, and the rest goes to the other.
    expect(targets(allocate(100, strata([10, 1000], [100, 1]), 'neyman'))).toEqual([10, 90]);
    // A constant stratum needs no sample...
    expect(targets(allocate(10, strata([100, 100], [0, 3]), 'neyman'))).toEqual([0, 10]);
    // ...unless the others are exhausted, and with every deviation 0 it is proportional.
    expect(targets(allocate(30, strata([100, 10], [0, 3]), 'neyman'))).toEqual([20, 10]);
    expect(targets(allocate(10, strata([300, 700], [0, 0]), 'neyman'))).toEqual([3, 7]);
    expect(() => allocate(10, strata([1, 2]), 'neyman')).toThrow(/std/);
  });

  it('gives every stratum its minimum first', () => {
    expect(targets(allocate(10, strata([1000, 10, 5]), 'proportional', { minimum: 2 }))).toEqual([
      6, 2, 2,
    ]);
    expect(targets(allocate(10, strata([1000, 1, 5]), 'proportional', { minimum: 2 }))).toEqual([
      7, 1, 2,
    ]);
    expect(() => allocate(3, strata([10, 10]), 'equal', { minimum: 2 })).toThrow(/minimum/);
  });

  it('always sums exactly to min(n, N), within caps, each within 1 of its real share', () => {
    const method = fc.constantFrom<AllocationMethod>('proportional', 'equal', 'neyman');
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ size: fc.nat(1000), std: fc.double({ min: 0, max: 100, noNaN: true }) }),
          {
            minLength: 1,
            maxLength: 12,
          },
        ),
        fc.nat(3000),
        method,
        fc.nat(3),
        (input, n, chosen, minimum) => {
          const list = input.map((stratum, h) => ({ id: String(h), ...stratum }));
          const population = list.reduce((sum, stratum) => sum + stratum.size, 0);
          const baseTotal = list.reduce((sum, stratum) => sum + Math.min(minimum, stratum.size), 0);
          if (baseTotal > Math.min(n, population)) return;
          const result = allocate(n, list, chosen, { minimum });
          expect(result.reduce((sum, entry) => sum + entry.target, 0)).toBe(
            Math.min(n, population),
          );
          for (const [h, entry] of result.entries()) {
            expect(entry.target).toBeGreaterThanOrEqual(Math.min(minimum, list[h]!.size));
            expect(entry.target).toBeLessThanOrEqual(list[h]!.size);
            expect(Math.abs(entry.target - entry.share)).toBeLessThan(1 + 1e-9);
          }
          if (chosen === 'proportional' && minimum === 0 && population > 0) {
            for (const [h, entry] of result.entries()) {
              const ideal = (Math.min(n, population) * list[h]!.size) / population;
              expect(Math.abs(entry.target - ideal)).toBeLessThan(1);
            }
          }
        },
      ),
    );
  });
});

describe('allocateFromPilot', () => {
  it('estimates stratum sizes from pilot counts and allocates among them', () => {
    const pilot = [
      { id: 'eu', count: 50, std: 2 },
      { id: 'us', count: 30, std: 4 },
      { id: 'apac', count: 20, std: 1 },
    ];
    const equal = allocateFromPilot({ total: 30, populationSize: 10_000, pilot, method: 'equal' });
    expect(equal.map((entry) => entry.estimatedSize)).toEqual([5000, 3000, 2000]);
    expect(targets(equal)).toEqual([10, 10, 10]);
    // Neyman weights 5000·2, 3000·4, 2000·1 = 10k, 12k, 2k of 24k.
    expect(
      targets(allocateFromPilot({ total: 240, populationSize: 10_000, pilot, method: 'neyman' })),
    ).toEqual([100, 120, 20]);
  });

  it('never caps a stratum below what the pilot already saw', () => {
    const result = allocateFromPilot({
      total: 100,
      populationSize: 1000,
      pilot: [
        { id: 'common', count: 999 },
        { id: 'rare', count: 1 },
      ],
      method: 'equal',
    });
    expect(result[1]!.estimatedSize).toBe(1);
    expect(targets(result)).toEqual([99, 1]);
  });
});
