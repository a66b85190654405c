/**
 * Which field values count as numbers. Values come from JSON paths, headers and keys, so
 * anything can arrive: a value that is not a finite number is *missing*, counted by reason and
 * never dropped silently, so `count + missing` is always the number of values offered.
 *
 * - `absent`: null or undefined (the path was not there, or held null).
 * - `nonNumeric`: a string, boolean, object or array (strings that look like numbers are
 *   numbers only with `parseStrings`, since `"12.50"` may be an id as easily as an amount).
 * - `nonFinite`: NaN or ±Infinity (they would poison every moment).
 *
 * A bigint becomes the nearest double (exact below 2^53).
 */

export type MissingReason = 'absent' | 'nonNumeric' | 'nonFinite';

export interface MissingCounts {
  absent: number;
  nonNumeric: number;
  nonFinite: number;
}

export interface NumericOptions {
  /** Treat strings that are plain decimal numbers (`"12.5"`, `"-3e2"`) as numbers. */
  parseStrings?: boolean;
}

export interface NumericValues {
  /** The finite numbers, in input order. */
  values: Float64Array;
  /** How many values were missing, in total and by reason. */
  missing: number;
  missingByReason: MissingCounts;
}

const DECIMAL = /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$/;

/** A value as a finite number, or the reason it is missing. */
export function numericValue(value: unknown, options: NumericOptions = {}): number | MissingReason {
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? value : 'nonFinite';
    case 'bigint':
      return Number(value);
    case 'undefined':
      return 'absent';
    case 'string': {
      if (!options.parseStrings || !DECIMAL.test(value)) return 'nonNumeric';
      const parsed = Number(value);
      return Number.isFinite(parsed) ? parsed : 'nonFinite';
    }
    default:
      return value === null ? 'absent' : 'nonNumeric';
  }
}

export function emptyMissingCounts(): MissingCounts {
  return { absent: 0, nonNumeric: 0, nonFinite: 0 };
}

/** Splits values into finite numbers and counted missing values. */
export function toNumeric(
  input: Iterable<unknown> | ArrayLike<unknown>,
  options: NumericOptions = {},
): NumericValues {
  if (input instanceof Float64Array || input instanceof Float32Array) {
    const values = Float64Array.from(input as ArrayLike<number>);
    let kept = 0;
    const missingByReason = emptyMissingCounts();
    for (const value of values) {
      if (Number.isFinite(value)) values[kept++] = value;
      else missingByReason.nonFinite++;
    }
    return { values: values.slice(0, kept), missing: missingByReason.nonFinite, missingByReason };
  }
  const list = Array.from(input as Iterable<unknown>);
  const values = new Float64Array(list.length);
  const missingByReason = emptyMissingCounts();
  let kept = 0;
  for (const item of list) {
    const value = numericValue(item, options);
    if (typeof value === 'number') values[kept++] = value;
    else missingByReason[value]++;
  }
  return {
    values: values.slice(0, kept),
    missing: list.length - kept,
    missingByReason,
  };
}
