import { describe, expect, it } from 'vitest';
import { mergePartitionOffsets, OffsetPopulation } from './ranges';

describe('OffsetPopulation', () => {
  const population = new OffsetPopulation([
    { partition: 2, start: 7, end: 10 },
    { partition: 0, start: 100, end: 102 },
    { partition: 1, start: 0, end: 0 },
    { partition: 0, start: 0, end: 2 },
  ]);

  it('numbers offsets by partition then offset, with end exclusive', () => {
    expect(population.size).toBe(7);
    expect([0, 1, 2, 3, 4, 5, 6].map((unit) => population.locate(unit))).toEqual([
      { partition: 0, offset: 0 },
      { partition: 0, offset: 1 },
      { partition: 0, offset: 100 },
      { partition: 0, offset: 101 },
      { partition: 2, offset: 7 },
      { partition: 2, offset: 8 },
      { partition: 2, offset: 9 },
    ]);
    expect(() => population.locate(7)).toThrow(RangeError);
  });

  it('turns unit numbers in any order into ascending offsets per partition', () => {
    expect(population.toPartitionOffsets([6, 0, 3, 4, 2])).toEqual([
      { partition: 0, offsets: [0, 100, 101] },
      { partition: 2, offsets: [7, 9] },
    ]);
    expect(population.partitionSizes()).toEqual([
      { partition: 0, size: 4 },
      { partition: 2, size: 3 },
    ]);
  });

  it('rejects overlapping and malformed ranges', () => {
    expect(
      () =>
        new OffsetPopulation([
          { partition: 0, start: 0, end: 10 },
          { partition: 0, start: 9, end: 12 },
        ]),
    ).toThrow(/overlap/);
    expect(() => new OffsetPopulation([{ partition: 0, start: 5, end: 4 }])).toThrow(RangeError);
    expect(() => new OffsetPopulation([{ partition: -1, start: 0, end: 4 }])).toThrow(RangeError);
    expect(() => new OffsetPopulation([{ partition: 0, start: 0.5, end: 4 }])).toThrow(RangeError);
  });

  it('merges offset lists of the same partition in order', () => {
    expect(
      mergePartitionOffsets([
        { partition: 1, offsets: [5, 9] },
        { partition: 0, offsets: [3] },
        { partition: 1, offsets: [1, 7] },
      ]),
    ).toEqual([
      { partition: 0, offsets: [3] },
      { partition: 1, offsets: [1, 5, 7, 9] },
    ]);
  });
});
