/**
 * One field's result from its values: numeric statistics when most present values are numbers,
 * category frequencies otherwise (and always for key, partition and headers, which name things).
 * Missing and non-numeric values are counted by the statistics, never dropped silently.
 */
import type { FieldResult } from '../api/eda';
import {
  categoryOf,
  frequencies,
  numericValue,
  summarizeSample,
  type HistogramOptions,
} from '../stats';
import { isCategoricalByNature } from './fields';

export interface FieldSummaryOptions {
  populationSize?: number;
  withReplacement?: boolean;
  histogram?: HistogramOptions;
  parseStrings?: boolean;
  /** Most categories listed (default 50). */
  top?: number;
}

/** Whether a field's values are best summarised as numbers. */
export function isNumericField(
  field: string,
  values: readonly unknown[],
  parseStrings = false,
): boolean {
  if (isCategoricalByNature(field)) return false;
  let present = 0;
  let numbers = 0;
  for (const value of values) {
    if (value === undefined || value === null) continue;
    present++;
    if (typeof numericValue(value, { parseStrings }) === 'number') numbers++;
  }
  return present === 0 || numbers * 2 >= present;
}

export function summarizeField(
  field: string,
  values: readonly unknown[],
  options: FieldSummaryOptions = {},
): FieldResult {
  const population = {
    ...(options.populationSize === undefined ? {} : { populationSize: options.populationSize }),
    ...(options.withReplacement ? { withReplacement: true } : {}),
  };
  if (isNumericField(field, values, options.parseStrings)) {
    return {
      field,
      kind: 'numeric',
      numeric: summarizeSample(values, {
        ...population,
        parseStrings: options.parseStrings ?? false,
        ...(options.histogram ? { histogram: options.histogram } : {}),
      }),
      categorical: null,
    };
  }
  return {
    field,
    kind: 'categorical',
    numeric: null,
    categorical: frequencies(values, { ...population, top: options.top ?? 50 }),
  };
}

/** A field's value as it goes into the result's columns: a number, a category's text, or null. */
export function columnValue(
  value: unknown,
  numeric: boolean,
  parseStrings = false,
): number | string | null {
  if (numeric) {
    const x = numericValue(value, { parseStrings });
    return typeof x === 'number' ? x : null;
  }
  const category = categoryOf(value);
  return category === null ? null : String(category);
}
