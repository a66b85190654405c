import { describe, expect, it } from 'vitest';
import { CategoryCounter, frequencies } from './categorical';

describe('frequencies', () => {
  it('counts categories, distinct values and the mode, with missing values counted', () => {
    const stats = frequencies(['eu', 'us', 'eu', null, 'apac', 'eu', undefined, 'us', NaN]);
    expect(stats).toMatchObject({
      count: 6,
      missing: 3,
      distinct: 3,
      distinctExceeded: false,
      mode: 'eu',
      modeCount: 3,
      otherCount: 0,
    });
    expect(
      stats.frequencies.map(({ value, count, proportion }) => [value, count, proportion]),
    ).toEqual([
      ['eu', 3, 0.5],
      ['us', 2, 1 / 3],
      ['apac', 1, 1 / 6],
    ]);
    const eu = stats.frequencies[0]!.ci95!;
    expect(eu.low).toBeLessThan(0.5);
    expect(eu.high).toBeGreaterThan(0.5);
  });

  it('keeps 1 and "1" apart, and categorises objects by their JSON text', () => {
    const stats = frequencies([1, '1', true, { a: 1 }, { a: 1 }]);
    expect(stats.distinct).toBe(4);
    expect(stats.mode).toBe('{"a":1}');
  });

  it('lists the top categories and counts the rest as other', () => {
    const stats = frequencies(['a', 'a', 'a', 'b', 'b', 'c', 'd'], { top: 2 });
    expect(stats.frequencies.map((f) => f.value)).toEqual(['a', 'b']);
    expect(stats.otherCount).toBe(2);
  });

  it('narrows each proportion interval with the finite-population correction', () => {
    const values = [...Array<string>(30).fill('x'), ...Array<string>(70).fill('y')];
    const sample = frequencies(values).frequencies[0]!.ci95!;
    const corrected = frequencies(values, { populationSize: 150 }).frequencies[0]!.ci95!;
    expect(corrected.high - corrected.low).toBeLessThan(sample.high - sample.low);
  });
});

describe('CategoryCounter', () => {
  it('bounds the categories it tracks and flags when the distinct count is exceeded', () => {
    const counter = new CategoryCounter(3);
    for (const value of ['a', 'b', 'a', 'c', 'd', 'e', 'a', 'd']) counter.add(value);
    const stats = counter.result();
    expect(stats.distinct).toBe(3);
    expect(stats.distinctExceeded).toBe(true);
    expect(stats.untracked).toBe(3);
    expect(stats.count).toBe(8);
    // Tracked categories stay exact.
    expect(counter.countOf('a')).toBe(3);
  });

  it('merges exactly when the union fits', () => {
    const left = new CategoryCounter();
    const right = new CategoryCounter();
    ['a', 'b', null].forEach((value) => left.add(value));
    ['b', 'c', 'b'].forEach((value) => right.add(value));
    const merged = left.merge(right).result();
    expect(merged.frequencies.map((f) => [f.value, f.count])).toEqual([
      ['b', 3],
      ['a', 1],
      ['c', 1],
    ]);
    expect(merged.missing).toBe(1);
  });
});
