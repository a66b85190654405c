/**
 * "Value over time" of a sample (issue 7, item 7): a numeric field's sampled values against
 * their records' timestamps, on a time axis, as a line or as points — one colour per stratum
 * when the sample was stratified. Unstratified, it draws the engine's `series` (already sorted
 * and filtered); stratified, it works out each row's stratum from what the result holds:
 * the partition, the time bucket, or the key's / field's value when that column was sampled.
 * Pure functions of the result, tested without a browser.
 */
import type { SampleResult } from '../api/eda';
import type { ChartData } from '../lib/edaOptions';
import { formatTimestamp } from '../lib/format';
import { escapeHtml } from './liveWindow';

export type TimeChartStyle = 'line' | 'points';

/** How the sample was stratified (the request's `strata`), or null. */
export type StrataUsed =
  { by: 'partition' } | { by: 'time' } | { by: 'key' } | { by: 'field'; field: string } | null;

/** Most strata drawn in their own colour; the rest share one, as in the scatter chart. */
const MAX_COLOURED = 12;
const OTHER = '(other strata)';
/** Above this many points a chart draws in ECharts' large mode (one path, no per-point hover). */
const LARGE = 2000;

/**
 * Each sampled row's stratum id, or null when the result does not tell it (stratified by key or
 * by a field that was not among the sampled fields).
 */
export function rowStrata(result: SampleResult, strata: StrataUsed): (string | null)[] | null {
  if (!strata || !result.strata?.length) return null;
  const ids = new Set(result.strata.map((s) => s.id));
  const known = (id: string) => (ids.has(id) ? id : null);
  switch (strata.by) {
    case 'partition':
      return result.sampled.map(([partition]) => known(String(partition)));
    case 'time': {
      // Time strata are named by the ISO time their bucket starts at (engine/eda/timeStrata.ts).
      const starts = result.strata
        .map((s) => ({ id: s.id, at: Date.parse(s.id) }))
        .filter((s) => Number.isFinite(s.at))
        .sort((a, b) => a.at - b.at);
      if (starts.length === 0) return null;
      return result.timestamps.map((t) => {
        if (t < 0) return null;
        let found: string | null = null;
        for (const s of starts) if (s.at <= t) found = s.id;
        // Before the first boundary only by rounding: it belongs to the first bucket.
        return found ?? starts[0]!.id;
      });
    }
    case 'key':
    case 'field': {
      const column = result.columns[strata.by === 'key' ? 'key' : strata.field];
      if (!column) return null;
      return column.map((value) => known(value === null ? '(missing)' : String(value)));
    }
  }
}

/** Time strata are named by an ISO instant; the legend shows it shorter, in local time. */
function legendName(name: string): string {
  return /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(name)
    ? `from ${formatTimestamp(Date.parse(name)).slice(0, 16)}`
    : name;
}

function timeOf(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

export function valueOverTimeChart(
  field: string,
  result: SampleResult,
  strataUsed: StrataUsed,
  style: TimeChartStyle,
): ChartData & { coloured: boolean; points: number } {
  const strata = rowStrata(result, strataUsed);
  const groups = new Map<string, [number, number][]>();
  if (strata) {
    const values = result.columns[field] ?? [];
    result.timestamps.forEach((t, i) => {
      const value = values[i];
      if (t < 0 || typeof value !== 'number' || !Number.isFinite(value)) return;
      let group = strata[i] ?? '(unknown)';
      if (!groups.has(group) && groups.size >= MAX_COLOURED) group = OTHER;
      let list = groups.get(group);
      if (!list) groups.set(group, (list = []));
      list.push([t, value]);
    });
    // Stable: equal timestamps keep the reading order, as in the engine's series.
    for (const list of groups.values()) list.sort((a, b) => a[0] - b[0]);
  } else {
    groups.set(field, result.series[field] ?? []);
  }
  const names = [...groups.keys()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const points = names.reduce((sum, name) => sum + groups.get(name)!.length, 0);
  const rows = names
    .flatMap((name) => groups.get(name)!.map(([t, v]) => ({ t, v, name })))
    .sort((a, b) => a.t - b.t);
  return {
    coloured: strata !== null,
    points,
    option: {
      grid: { left: 60, right: 36, top: strata ? 48 : 24, bottom: 60 },
      ...(strata ? { legend: { type: 'scroll', top: 0, formatter: legendName } } : {}),
      tooltip: {
        trigger: 'item',
        confine: true,
        formatter: (point: { seriesName?: string; value?: unknown }) => {
          const [t, v] = Array.isArray(point.value) ? (point.value as number[]) : [];
          if (typeof t !== 'number' || typeof v !== 'number') return '';
          const stratum = strata ? `${escapeHtml(point.seriesName ?? '')}<br>` : '';
          return `${stratum}${escapeHtml(timeOf(t))}<br>${escapeHtml(field)}: <b>${v}</b>`;
        },
      },
      xAxis: { type: 'time' },
      yAxis: { type: 'value', scale: true, name: field },
      // Time zooms with the wheel and the lower slider; values with the right-hand slider, since
      // a few glitches (a sensor's −273.15) can squash everything else into one line.
      dataZoom: [
        { type: 'inside', xAxisIndex: 0 },
        { type: 'slider', xAxisIndex: 0 },
        { type: 'slider', yAxisIndex: 0, right: 4, width: 14 },
      ],
      series: names.map((name) => {
        const data = groups.get(name)!;
        return style === 'line'
          ? {
              type: 'line',
              name,
              data,
              showSymbol: false,
              sampling: 'lttb',
              lineStyle: { width: 1 },
              animation: false,
            }
          : {
              type: 'scatter',
              name,
              data,
              symbolSize: 3,
              large: data.length > LARGE,
              animation: false,
            };
      }),
    },
    csv: {
      header: strata ? ['timestamp', field, 'stratum'] : ['timestamp', field],
      rows: rows.map((r) =>
        strata ? [new Date(r.t).toISOString(), r.v, r.name] : [new Date(r.t).toISOString(), r.v],
      ),
    },
  };
}
