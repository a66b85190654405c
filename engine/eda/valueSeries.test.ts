import { describe, expect, it } from 'vitest';
import { valueSeries } from './valueSeries';

describe('valueSeries', () => {
  it('pairs each numeric value with its timestamp, sorted by time, ties in reading order', () => {
    const series = valueSeries(
      [30, 10, 20, 10],
      { '$.t': [3, 1, 2, 1.5], key: ['a', 'b', 'c', 'd'] },
      ['$.t'],
    );
    expect(series).toEqual({
      '$.t': [
        [10, 1],
        [10, 1.5],
        [20, 2],
        [30, 3],
      ],
    });
  });

  it('leaves out missing values, non-finite values and records without a timestamp', () => {
    const series = valueSeries([1, 2, -1, 4, 5], { x: [1, null, 3, 'NaN', 5] }, ['x']);
    expect(series.x).toEqual([
      [1, 1],
      [5, 5],
    ]);
  });

  it('gives an empty series for a numeric field with no column', () => {
    expect(valueSeries([1], {}, ['y'])).toEqual({ y: [] });
  });
});
