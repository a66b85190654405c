import { describe, expect, it } from 'vitest';
import type { SampleResult } from '../api/eda';
import { rowStrata, valueOverTimeChart } from './valueOverTime';

const T0 = Date.UTC(2025, 0, 1);
const MINUTE = 60_000;

/** A sample result with just what the chart reads (the rest is not looked at). */
function result(rows: { partition: number; t: number; v: number | null; region?: string }[]) {
  const values = rows.map((r) => r.v);
  const timestamps = rows.map((r) => r.t);
  return {
    sampled: rows.map((r, i) => [r.partition, i] as [number, number]),
    timestamps,
    columns: { '$.v': values, '$.region': rows.map((r) => r.region ?? null) },
    series: {
      '$.v': rows
        .filter((r) => r.t >= 0 && typeof r.v === 'number')
        .map((r) => [r.t, r.v!] as [number, number])
        .sort((a, b) => a[0] - b[0]),
    },
    strata: undefined as { id: string }[] | undefined,
  } as unknown as SampleResult & { strata?: { id: string }[] };
}

describe('value over time', () => {
  it("unstratified, draws the engine's series as one line on a time axis", () => {
    const sample = result([
      { partition: 0, t: T0 + 2 * MINUTE, v: 3 },
      { partition: 1, t: T0, v: 1 },
      { partition: 0, t: -1, v: 7 },
      { partition: 1, t: T0 + MINUTE, v: null },
    ]);
    const chart = valueOverTimeChart('$.v', sample, null, 'line');
    const option = chart.option as {
      xAxis: { type: string };
      series: { type: string; data: number[][] }[];
    };
    expect(option.xAxis.type).toBe('time');
    expect(option.series).toHaveLength(1);
    expect(option.series[0]!.type).toBe('line');
    expect(option.series[0]!.data).toEqual(sample.series['$.v']);
    expect(chart.coloured).toBe(false);
    expect(chart.csv.header).toEqual(['timestamp', '$.v']);
    expect(chart.csv.rows).toEqual([
      [new Date(T0).toISOString(), 1],
      [new Date(T0 + 2 * MINUTE).toISOString(), 3],
    ]);
  });

  it('stratified by partition, draws one time-sorted series per stratum', () => {
    const sample = result([
      { partition: 1, t: T0 + 3 * MINUTE, v: 4 },
      { partition: 0, t: T0 + 2 * MINUTE, v: 3 },
      { partition: 1, t: T0, v: 1 },
      { partition: 0, t: T0 + MINUTE, v: 2 },
    ]);
    sample.strata = [{ id: '0' }, { id: '1' }] as never;
    const chart = valueOverTimeChart('$.v', sample, { by: 'partition' }, 'points');
    const series = (chart.option as { series: { name: string; type: string; data: number[][] }[] })
      .series;
    expect(series.map((s) => [s.name, s.type])).toEqual([
      ['0', 'scatter'],
      ['1', 'scatter'],
    ]);
    expect(series[0]!.data).toEqual([
      [T0 + MINUTE, 2],
      [T0 + 2 * MINUTE, 3],
    ]);
    expect(series[1]!.data).toEqual([
      [T0, 1],
      [T0 + 3 * MINUTE, 4],
    ]);
    expect(chart.csv.rows.map((r) => r[2])).toEqual(['1', '0', '0', '1']);
  });

  it('finds time-bucket strata from their start times, and field strata from the sampled column', () => {
    const sample = result([
      { partition: 0, t: T0 + 5 * MINUTE, v: 1, region: 'eu' },
      { partition: 0, t: T0 + 15 * MINUTE, v: 2, region: 'us' },
      { partition: 0, t: T0 + 10 * MINUTE, v: 3 },
    ]);
    sample.strata = [
      { id: new Date(T0).toISOString() },
      { id: new Date(T0 + 10 * MINUTE).toISOString() },
    ] as never;
    expect(rowStrata(sample, { by: 'time' })).toEqual([
      new Date(T0).toISOString(),
      new Date(T0 + 10 * MINUTE).toISOString(),
      new Date(T0 + 10 * MINUTE).toISOString(),
    ]);
    // The legend names a time stratum by its start, shorter and in local time.
    const legend = (
      valueOverTimeChart('$.v', sample, { by: 'time' }, 'line').option as {
        legend: { formatter: (name: string) => string };
      }
    ).legend;
    expect(legend.formatter(new Date(T0).toISOString())).toMatch(
      /^from \d{4}-\d\d-\d\d \d\d:\d\d$/,
    );
    expect(legend.formatter('eu')).toBe('eu');
    sample.strata = [{ id: 'eu' }, { id: 'us' }, { id: '(missing)' }] as never;
    expect(rowStrata(sample, { by: 'field', field: '$.region' })).toEqual([
      'eu',
      'us',
      '(missing)',
    ]);
    // By key, but the key was not sampled: no colours, one series.
    expect(rowStrata(sample, { by: 'key' })).toBeNull();
    expect(valueOverTimeChart('$.v', sample, { by: 'key' }, 'line').coloured).toBe(false);
  });

  it('names strata in the tooltip as text, not markup', () => {
    const sample = result([{ partition: 0, t: T0, v: 1, region: '<img src=x onerror=alert(1)>' }]);
    sample.strata = [{ id: '<img src=x onerror=alert(1)>' }] as never;
    const chart = valueOverTimeChart('$.v', sample, { by: 'field', field: '$.region' }, 'line');
    const tooltip = (
      chart.option as {
        tooltip: { formatter: (p: { seriesName: string; value: number[] }) => string };
      }
    ).tooltip;
    const html = tooltip.formatter({ seriesName: '<img src=x onerror=alert(1)>', value: [T0, 1] });
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img');
  });
});
