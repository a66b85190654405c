import { describe, expect, it } from 'vitest';
import { numericValue, toNumeric } from './numeric';

describe('numericValue', () => {
  it('accepts finite numbers and bigints, and names the reason for everything else', () => {
    expect(numericValue(3.5)).toBe(3.5);
    expect(numericValue(-0)).toBe(-0);
    expect(numericValue(12n)).toBe(12);
    expect(numericValue(null)).toBe('absent');
    expect(numericValue(undefined)).toBe('absent');
    expect(numericValue(NaN)).toBe('nonFinite');
    expect(numericValue(-Infinity)).toBe('nonFinite');
    expect(numericValue('12')).toBe('nonNumeric');
    expect(numericValue(false)).toBe('nonNumeric');
    expect(numericValue([1])).toBe('nonNumeric');
  });

  it('parses plain decimal strings only when asked', () => {
    const options = { parseStrings: true };
    expect(numericValue('12.50', options)).toBe(12.5);
    expect(numericValue(' 1e3 ', options)).toBe(1000);
    expect(numericValue('', options)).toBe('nonNumeric');
    expect(numericValue('0x1f', options)).toBe('nonNumeric');
    expect(numericValue('1e999', options)).toBe('nonFinite');
  });
});

describe('toNumeric', () => {
  it('keeps numbers in order and counts every missing value', () => {
    const result = toNumeric([1, null, 2, 'a', NaN, 3]);
    expect([...result.values]).toEqual([1, 2, 3]);
    expect(result.missing).toBe(3);
    expect(result.missingByReason).toEqual({ absent: 1, nonNumeric: 1, nonFinite: 1 });
  });

  it('takes typed arrays, counting NaN and infinities as missing', () => {
    const result = toNumeric(Float64Array.of(1, NaN, Infinity, 4));
    expect([...result.values]).toEqual([1, 4]);
    expect(result.missing).toBe(2);
  });
});
