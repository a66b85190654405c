/**
 * Pearson and Spearman correlation, and correlation matrices across numeric fields.
 *
 * Matrices are pairwise-complete: the correlation of fields A and B uses every row where both
 * are finite numbers (see numeric.ts), and `n[i][j]` says how many rows that was. Spearman's
 * ρ is Pearson's r of the midranks (tied values share the mean of their ranks), ranked within
 * each pair's complete rows. A correlation the data cannot define (fewer than 2 rows, or a
 * field constant over those rows) is null.
 */

import { numericValue, type NumericOptions } from './numeric';

export type CorrelationMethod = 'pearson' | 'spearman';

export interface CorrelationMatrix {
  fields: string[];
  method: CorrelationMethod;
  /** r[i][j]: the correlation of fields[i] and fields[j]; symmetric. */
  r: (number | null)[][];
  /** n[i][j]: rows where both fields were numbers. */
  n: number[][];
}

/** Pearson's r of paired finite values; null if n < 2 or either side is constant. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number | null {
  const n = x.length;
  if (n !== y.length) throw new RangeError(`x has ${n} values, y has ${y.length}`);
  if (n < 2) return null;
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < n; i++) {
    meanX += x[i]!;
    meanY += y[i]!;
  }
  meanX /= n;
  meanY /= n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - meanX;
    const dy = y[i]! - meanY;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  if (!(sxx > 0) || !(syy > 0)) return null;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** Spearman's ρ of paired finite values (Pearson's r of midranks). */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number | null {
  if (x.length !== y.length) throw new RangeError(`x has ${x.length} values, y has ${y.length}`);
  return pearson(midranks(x), midranks(y));
}

/** Ranks 1…n, tied values sharing the mean of the ranks they span. */
export function midranks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && values[order[j + 1]!] === values[order[i]!]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]!] = rank;
    i = j + 1;
  }
  return ranks;
}

/**
 * The correlation matrix of named columns (all the same length, row i of each column being
 * the same message). Values that are not finite numbers are skipped pairwise.
 */
export function correlationMatrix(
  columns: Readonly<Record<string, ArrayLike<unknown>>>,
  method: CorrelationMethod = 'pearson',
  options: NumericOptions = {},
): CorrelationMatrix {
  const fields = Object.keys(columns);
  const rows = fields.length ? columns[fields[0]!]!.length : 0;
  const numeric = fields.map((field) => {
    const column = columns[field]!;
    if (column.length !== rows) {
      throw new RangeError(`column "${field}" has ${column.length} rows, expected ${rows}`);
    }
    const values = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      const value = numericValue(column[i], options);
      values[i] = typeof value === 'number' ? value : NaN;
    }
    return values;
  });
  const size = fields.length;
  const r: (number | null)[][] = fields.map(() => new Array<number | null>(size).fill(null));
  const n: number[][] = fields.map(() => new Array<number>(size).fill(0));
  const correlate = method === 'pearson' ? pearson : spearman;
  for (let i = 0; i < size; i++) {
    for (let j = i; j < size; j++) {
      const a = numeric[i]!;
      const b = numeric[j]!;
      const x: number[] = [];
      const y: number[] = [];
      for (let row = 0; row < rows; row++) {
        if (!Number.isNaN(a[row]!) && !Number.isNaN(b[row]!)) {
          x.push(a[row]!);
          y.push(b[row]!);
        }
      }
      const value = i === j ? (pearson(x, y) === null ? null : 1) : correlate(x, y);
      r[i]![j] = value;
      r[j]![i] = value;
      n[i]![j] = x.length;
      n[j]![i] = x.length;
    }
  }
  return { fields, method, r, n };
}
