import { describe, expect, it } from 'vitest';
import type { NumericSummary } from '../api/eda';
import { binLabel, binRuleLabel, boxChart, logBinsWouldHelp } from './edaOptions';

/** The parts of a field's summary these functions read. */
function summary(
  min: number,
  max: number,
  counts: number[],
  rule = 'freedman-diaconis',
  box = { whiskers: [min, max] as [number, number], q1: min, median: min, q3: max },
): NumericSummary {
  return {
    stats: { min, max },
    histogram: { rule, counts, edges: counts.map((_, i) => i).concat(counts.length) },
    box: { ...box, outliers: [max * 2], outlierCount: 1 },
  } as unknown as NumericSummary;
}

describe('logBinsWouldHelp', () => {
  it('names the decades when positive values span three or more and crowd the first bin', () => {
    expect(logBinsWouldHelp(summary(8.51, 379520, [4300, 500, 200]))).toBeCloseTo(4.65, 2);
  });

  it('stays quiet when the histogram already shows the shape or a log scale cannot', () => {
    expect(logBinsWouldHelp(summary(8.51, 379520, [1000, 2000, 2000]))).toBeNull(); // spread out
    expect(logBinsWouldHelp(summary(1, 500, [4000, 10]))).toBeNull(); // under three decades
    expect(logBinsWouldHelp(summary(0, 379520, [4000, 10]))).toBeNull(); // zero has no log
    expect(logBinsWouldHelp(summary(-5, 379520, [4000, 10]))).toBeNull();
    expect(logBinsWouldHelp(summary(8.51, 379520, [4000, 10], 'log'))).toBeNull(); // done
  });
});

describe('boxChart', () => {
  it('uses a log axis only when asked and every value on it is positive', () => {
    const positive = [{ name: 'amount', numeric: summary(8.51, 379520, [1]) }];
    expect(boxChart(positive, { log: true }).option.yAxis).toEqual({ type: 'log' });
    expect(boxChart(positive).option.yAxis).toMatchObject({ type: 'value' });
    const withZero = [{ name: 'amount', numeric: summary(0, 379520, [1]) }];
    expect(boxChart(withZero, { log: true }).option.yAxis).toMatchObject({ type: 'value' });
  });
});

describe('binRuleLabel', () => {
  it('says each rule as the view offers it', () => {
    expect(binRuleLabel('freedman-diaconis')).toBe('Freedman–Diaconis');
    expect(binRuleLabel('log')).toBe('Log-spaced');
    expect(binRuleLabel('single-value')).toBe('single-value');
  });
});

describe('binLabel', () => {
  it('shows as many decimals as the bin width needs', () => {
    expect(binLabel(74, 74.92857142857)).toBe('74–74.93');
    expect(binLabel(8.51, 11.469)).toBe('8.5–11.5');
    expect(binLabel(65744.7, 88605)).toBe('65745–88605');
    expect(binLabel(0.001234, 0.001301)).toBe('0.001234–0.001301');
    expect(binLabel(-273.15, -200)).toBe('-273–-200');
  });
});
