/**
 * ECharts options and CSV tables for the EDA view's charts, built from a sample's result.
 * Pure functions of the data, so the view stays declarative.
 */
import type { EChartsOption } from '../charts/edaEcharts';
import type { NumericSummary, SampleResult } from '../api/eda';

/** The sample strategies the view offers, as the engine names them and as the view says them. */
export const SAMPLE_STRATEGIES = [
  { value: 'random', label: 'Simple random (no repeats)' },
  { value: 'random-with-replacement', label: 'Random with replacement' },
  { value: 'systematic', label: 'Systematic (every k-th)' },
  { value: 'stratified', label: 'Stratified' },
  { value: 'reservoir', label: 'New messages (reservoir over a live tail)' },
] as const;
export type SampleStrategyOption = (typeof SAMPLE_STRATEGIES)[number]['value'];

/** The request's `tail` for a reservoir sample: tail for `seconds` (1 s to 1 h). */
export function reservoirTail(seconds: number): { durationMs: number } {
  const clamped = Math.min(3600, Math.max(1, Number.isFinite(seconds) ? seconds : 10));
  return { durationMs: Math.round(clamped * 1000) };
}

export interface ChartData {
  option: EChartsOption;
  csv: { header: string[]; rows: unknown[][] };
}

const round = (x: number) => Number(x.toPrecision(6));

/** How the view names each histogram bin rule (the engine's ids are kebab-case). */
export const BIN_RULES = [
  { value: 'freedman-diaconis', label: 'Freedman–Diaconis' },
  { value: 'sturges', label: 'Sturges' },
  { value: 'fixed-width', label: 'Fixed width' },
  { value: 'log', label: 'Log-spaced (values > 0)' },
] as const;
export type BinRuleOption = (typeof BIN_RULES)[number]['value'];

export function binRuleLabel(rule: string): string {
  return BIN_RULES.find((r) => r.value === rule)?.label.replace(/ \(.*\)$/, '') ?? rule;
}

/**
 * Orders of magnitude the values span, when equal-width bins hide their shape: positive values
 * over at least three decades with most of them in the first bin (amounts, sizes, latencies).
 * Null when the histogram already shows the shape or log-spaced bins cannot help.
 */
export function logBinsWouldHelp(numeric: NumericSummary): number | null {
  const { min, max } = numeric.stats;
  const { rule, counts } = numeric.histogram;
  if (rule === 'log' || min === null || max === null || !(min > 0)) return null;
  const decades = Math.log10(max / min);
  const total = counts.reduce((a, b) => a + b, 0);
  return decades >= 3 && total > 0 && (counts[0] ?? 0) / total > 0.5 ? decades : null;
}

/**
 * A bin's label with as many decimals as its width needs to tell it from its neighbours
 * (`74–74.93`, not `74–74.9286`); the CSV keeps the exact edges.
 */
export function binLabel(low: number, high: number): string {
  const width = high - low;
  const decimals =
    width > 0 && Number.isFinite(width)
      ? Math.min(10, Math.max(0, Math.ceil(-Math.log10(width)) + 1))
      : 6;
  const text = (x: number) => String(Number(x.toFixed(decimals)));
  return `${text(low)}–${text(high)}`;
}

export function histogramChart(field: string, numeric: NumericSummary): ChartData {
  const { edges, counts } = numeric.histogram;
  const bins = counts.map((count, i) => ({ low: edges[i]!, high: edges[i + 1]!, count }));
  return {
    option: {
      grid: { left: 50, right: 20, top: 20, bottom: 40 },
      tooltip: { trigger: 'axis' },
      xAxis: {
        type: 'category',
        data: bins.map((b) => binLabel(b.low, b.high)),
        name: field,
      },
      yAxis: { type: 'value', name: 'count' },
      series: [{ type: 'bar', barCategoryGap: '2%', data: bins.map((b) => b.count) }],
    },
    csv: {
      header: ['bin_low', 'bin_high', 'count'],
      rows: bins.map((b) => [b.low, b.high, b.count]),
    },
  };
}

/** Box plots side by side; on a log axis when asked and every whisker and outlier is > 0. */
export function boxChart(
  groups: { name: string; numeric: NumericSummary | null }[],
  { log = false }: { log?: boolean } = {},
): ChartData {
  const boxes = groups.filter((g) => g.numeric?.box);
  const data = boxes.map((g) => {
    const box = g.numeric!.box!;
    return [box.whiskers[0], box.q1, box.median, box.q3, box.whiskers[1]];
  });
  const outliers = boxes.flatMap((g, i) => g.numeric!.box!.outliers.map((o) => [i, o]));
  const logAxis =
    log && data.every((box) => box[0]! > 0) && outliers.every(([, value]) => value! > 0);
  return {
    option: {
      grid: { left: 60, right: 20, top: 20, bottom: 40 },
      tooltip: { trigger: 'item' },
      xAxis: { type: 'category', data: boxes.map((g) => g.name) },
      yAxis: logAxis ? { type: 'log' } : { type: 'value', scale: true },
      series: [
        { type: 'boxplot', data },
        { type: 'scatter', data: outliers, symbolSize: 5 },
      ],
    },
    csv: {
      header: ['group', 'lower_whisker', 'q1', 'median', 'q3', 'upper_whisker', 'outliers'],
      rows: boxes.map((g, i) => [g.name, ...data[i]!, g.numeric!.box!.outlierCount]),
    },
  };
}

export function categoryChart(field: string, result: SampleResult): ChartData | null {
  const categorical = result.fields.find((f) => f.field === field)?.categorical;
  if (!categorical) return null;
  const top = categorical.frequencies.slice(0, 30);
  return {
    option: {
      grid: { left: 120, right: 20, top: 10, bottom: 30 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', inverse: true, data: top.map((f) => String(f.value)) },
      series: [{ type: 'bar', data: top.map((f) => f.count) }],
    },
    csv: {
      header: ['value', 'count', 'proportion', 'ci95_low', 'ci95_high'],
      rows: categorical.frequencies.map((f) => [
        f.value,
        f.count,
        f.proportion,
        f.ci95?.low,
        f.ci95?.high,
      ]),
    },
  };
}

export function scatterChart(
  x: string,
  y: string,
  colour: string | null,
  result: SampleResult,
): ChartData {
  const xs = result.columns[x] ?? [];
  const ys = result.columns[y] ?? [];
  const cs = colour ? (result.columns[colour] ?? []) : [];
  const groups = new Map<string, [number, number][]>();
  const rows: unknown[][] = [];
  xs.forEach((xv, i) => {
    const yv = ys[i];
    if (typeof xv !== 'number' || typeof yv !== 'number') return;
    let group = colour ? String(cs[i] ?? '(missing)') : 'all';
    // Twelve colours at most; further categories share one.
    if (!groups.has(group) && groups.size >= 12) group = '(other)';
    let list = groups.get(group);
    if (!list) {
      list = [];
      groups.set(group, list);
    }
    list.push([xv, yv]);
    rows.push([xv, yv, colour ? group : null]);
  });
  return {
    option: {
      grid: { left: 60, right: 20, top: 30, bottom: 40 },
      legend: { type: 'scroll', top: 0 },
      tooltip: { trigger: 'item' },
      xAxis: { type: 'value', scale: true, name: x },
      yAxis: { type: 'value', scale: true, name: y },
      series: [...groups.entries()].map(([name, data]) => ({
        type: 'scatter',
        name,
        symbolSize: 4,
        data,
      })),
    },
    csv: {
      header: colour ? [x, y, colour] : [x, y],
      rows: rows.map((r) => (colour ? r : r.slice(0, 2))),
    },
  };
}

export function correlationChart(
  result: SampleResult,
  method: 'pearson' | 'spearman',
): ChartData | null {
  const matrix = result.correlation?.[method];
  if (!matrix) return null;
  const data = matrix.r.flatMap((row, i) => row.map((r, j) => [j, i, r === null ? '-' : round(r)]));
  return {
    option: {
      grid: { left: 120, right: 20, top: 10, bottom: 80 },
      tooltip: { position: 'top' },
      xAxis: { type: 'category', data: matrix.fields, axisLabel: { rotate: 30 } },
      yAxis: { type: 'category', data: matrix.fields },
      visualMap: {
        min: -1,
        max: 1,
        calculable: true,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        inRange: { color: ['#2166ac', '#f7f7f7', '#b2182b'] },
      },
      series: [{ type: 'heatmap', data, label: { show: true } }],
    },
    csv: {
      header: ['field', ...matrix.fields],
      rows: matrix.r.map((row, i) => [matrix.fields[i], ...row]),
    },
  };
}
