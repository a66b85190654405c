/**
 * Histogram binning: bin edges by a rule, and counts.
 *
 * Rules: Freedman–Diaconis (the default: width 2·IQR·n^(−1/3), robust to outliers), Sturges
 * (⌈log₂ n⌉ + 1 bins), a fixed width on request, or log-spaced: Freedman–Diaconis applied to
 * log₁₀ of the values, for positive values spread over orders of magnitude (amounts, sizes,
 * latencies), where equal-width bins put nearly everything in the first one. FD, Sturges and
 * log-spaced edges span exactly
 * [min, max] (as numpy's `histogram_bin_edges`); fixed-width edges are aligned to multiples
 * of the width (width 10 gives 0, 10, 20, …), which is what a person asking for it expects.
 * Every bin is half-open [a, b) except the last, which is closed [a, b], so max is counted.
 *
 * Guards: no values → no bins; a single distinct value → one bin around it; zero IQR (more
 * than half the values equal) → Sturges, with `fallback` saying why; more than `maxBins` bins
 * (a huge range with a narrow IQR) → `maxBins` (widths rounded up to a multiple, for fixed
 * width) and `capped`; a range beyond Number.MAX_VALUE, or bins narrower than floating point
 * can separate, are handled without producing equal or infinite edges.
 */

export type BinRule = 'freedman-diaconis' | 'sturges' | 'fixed-width' | 'log';

export interface HistogramOptions {
  /** 'freedman-diaconis' unless given. */
  rule?: BinRule;
  /** Bin width for 'fixed-width'. */
  width?: number;
  /** Most bins to produce (default 200). */
  maxBins?: number;
}

export interface BinSpec {
  /** Bin edges, ascending; bins = edges.length − 1. */
  edges: number[];
  /** The rule that produced the edges ('single-value' and 'empty' are the guards). */
  rule: BinRule | 'single-value' | 'empty';
  /** The nominal bin width; for 'log', in log₁₀ units (each edge is 10^binWidth × the last). */
  binWidth: number;
  /** True when the rule asked for more than `maxBins` bins. */
  capped: boolean;
  /** Why the requested rule was not used, when it was not. */
  fallback?: string;
}

export interface Histogram extends BinSpec {
  counts: number[];
  /** Values below the first edge / above the last (only for histograms with given edges). */
  underflow: number;
  overflow: number;
  /** True when counts are estimated (from a quantile sketch) rather than counted. */
  approximate?: boolean;
}

/** What a rule needs to know about the data: n, range and (for FD) the IQR. */
export interface BinInputs {
  count: number;
  min: number | null;
  max: number | null;
  iqr?: number | null;
  /** Quartiles, for log-spaced bins (the IQR of log₁₀ values is log₁₀ q3 − log₁₀ q1). */
  q1?: number | null;
  q3?: number | null;
}

const DEFAULT_MAX_BINS = 200;

/** Bin edges for data with the given count, range and IQR. */
export function binEdges(data: BinInputs, options: HistogramOptions = {}): BinSpec {
  const rule = options.rule ?? 'freedman-diaconis';
  const maxBins = options.maxBins ?? DEFAULT_MAX_BINS;
  if (!Number.isSafeInteger(maxBins) || maxBins < 1) {
    throw new RangeError(`maxBins must be a positive integer, got ${maxBins}`);
  }
  if (rule === 'fixed-width' && !(options.width! > 0 && Number.isFinite(options.width))) {
    throw new RangeError(`fixed-width bins need a width > 0, got ${options.width}`);
  }
  const { count: n, min, max } = data;
  if (n === 0 || min === null || max === null) {
    return { edges: [], rule: 'empty', binWidth: 0, capped: false };
  }
  if (min === max) {
    const half = Math.max(0.5, Math.abs(min) * 1e-9);
    return {
      edges: [min - half, min + half],
      rule: 'single-value',
      binWidth: 2 * half,
      capped: false,
    };
  }
  if (rule === 'log') {
    if (min > 0) return logEdges(data as BinInputs & { min: number; max: number }, maxBins);
    return {
      ...binEdges(data, { ...options, rule: 'freedman-diaconis' }),
      fallback: `log-spaced bins need values > 0, the smallest is ${min}`,
    };
  }
  const range = spread(min, max);
  let used: Exclude<BinRule, 'log'> = rule;
  let fallback: string | undefined;
  let wanted: number;
  if (rule === 'fixed-width') {
    const spec = fixedWidthEdges(min, max, options.width!, maxBins);
    if (spec) return spec;
    used = 'sturges';
    fallback = `width ${options.width} is too fine for values near ${max}`;
    wanted = sturgesBins(n);
  } else if (rule === 'freedman-diaconis') {
    const iqr = data.iqr ?? null;
    if (iqr === null || !(iqr > 0)) {
      used = 'sturges';
      fallback = iqr === null ? 'IQR unknown' : 'IQR is zero';
      wanted = sturgesBins(n);
    } else {
      const width = 2 * iqr * Math.cbrt(1 / n);
      wanted = Math.ceil(range / width);
    }
  } else {
    wanted = sturgesBins(n);
  }
  if (!Number.isFinite(wanted) || wanted < 1) wanted = 1;
  const capped = wanted > maxBins;
  const bins = resolvableBins(min, max, Math.min(wanted, maxBins));
  const edges = spanEdges(min, max, bins);
  return {
    edges,
    rule: used,
    binWidth: spread(min, max) / bins,
    capped: capped || bins < Math.min(wanted, maxBins),
    ...(fallback === undefined ? {} : { fallback }),
  };
}

/** A histogram of values (missing values ignored; count them with `describeNumeric`). */
export function histogram(values: ArrayLike<number>, options: HistogramOptions = {}): Histogram {
  const finite = Float64Array.from(values).filter(Number.isFinite).sort();
  return histogramSorted(finite, options);
}

/** A histogram of finite values sorted ascending. */
export function histogramSorted(
  sorted: ArrayLike<number>,
  options: HistogramOptions = {},
): Histogram {
  const n = sorted.length;
  const { q1, q3 } = n ? quartiles(sorted) : { q1: null, q3: null };
  const spec = binEdges(
    {
      count: n,
      min: n ? sorted[0]! : null,
      max: n ? sorted[n - 1]! : null,
      iqr: q1 === null || q3 === null ? null : q3 - q1,
      q1,
      q3,
    },
    options,
  );
  return { ...spec, ...countInto(sorted, spec.edges) };
}

/** Counts values into bins with the given edges (ascending); values outside are tallied. */
export function countInto(
  values: ArrayLike<number>,
  edges: readonly number[],
): { counts: number[]; underflow: number; overflow: number } {
  const bins = Math.max(0, edges.length - 1);
  const counts = new Array<number>(bins).fill(0);
  let underflow = 0;
  let overflow = 0;
  for (let i = 0; i < values.length; i++) {
    const bin = binIndex(values[i]!, edges);
    if (bin === -1) underflow++;
    else if (bin === bins) overflow++;
    else counts[bin]!++;
  }
  return { counts, underflow, overflow };
}

/**
 * The bin of x: i with edges[i] ≤ x < edges[i+1] (the last bin closed), −1 below the first
 * edge, bins above the last. Binary search, so uneven edges work too.
 */
export function binIndex(x: number, edges: readonly number[]): number {
  const bins = edges.length - 1;
  if (bins < 1 || x < edges[0]!) return -1;
  if (x > edges[bins]!) return bins;
  if (x === edges[bins]!) return bins - 1;
  let low = 0;
  let high = bins - 1;
  while (low < high) {
    const mid = (low + high + 1) >>> 1;
    if (edges[mid]! <= x) low = mid;
    else high = mid - 1;
  }
  return low;
}

/**
 * Streaming histogram into fixed bins, for a full scan once the range is known (from a
 * previous sample, a sketch, or the user). Constant memory; mergeable when edges are equal.
 */
export class StreamingHistogram {
  readonly edges: readonly number[];
  private readonly counts: number[];
  underflow = 0;
  overflow = 0;
  missing = 0;

  constructor(edges: readonly number[]) {
    for (let i = 1; i < edges.length; i++) {
      if (!(edges[i]! > edges[i - 1]!)) throw new RangeError('histogram edges must increase');
    }
    if (edges.length < 2) throw new RangeError('a histogram needs at least two edges');
    this.edges = [...edges];
    this.counts = new Array<number>(edges.length - 1).fill(0);
  }

  /** Counts a value; values that are not finite numbers are counted as missing. */
  add(value: unknown): void {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.missing++;
      return;
    }
    const bin = binIndex(value, this.edges);
    if (bin === -1) this.underflow++;
    else if (bin === this.counts.length) this.overflow++;
    else this.counts[bin]!++;
  }

  merge(other: StreamingHistogram): this {
    if (
      other.edges.length !== this.edges.length ||
      other.edges.some((edge, i) => edge !== this.edges[i])
    ) {
      throw new RangeError('only histograms with the same edges merge');
    }
    other.counts.forEach((count, i) => (this.counts[i]! += count));
    this.underflow += other.underflow;
    this.overflow += other.overflow;
    this.missing += other.missing;
    return this;
  }

  result(spec: Omit<BinSpec, 'edges'> = defaultSpec(this.edges)): Histogram {
    return {
      ...spec,
      edges: [...this.edges],
      counts: [...this.counts],
      underflow: this.underflow,
      overflow: this.overflow,
    };
  }
}

function defaultSpec(edges: readonly number[]): Omit<BinSpec, 'edges'> {
  return {
    rule: 'fixed-width',
    binWidth: (edges[edges.length - 1]! - edges[0]!) / (edges.length - 1),
    capped: false,
  };
}

function sturgesBins(n: number): number {
  return Math.ceil(Math.log2(n)) + 1;
}

/** max − min, computed without overflowing past Number.MAX_VALUE. */
function spread(min: number, max: number): number {
  const range = max - min;
  return Number.isFinite(range) ? range : 2 * (max / 2 - min / 2);
}

function quartiles(sorted: ArrayLike<number>): { q1: number; q3: number } {
  const at = (p: number): number => {
    const h = (sorted.length - 1) * p;
    const i = Math.floor(h);
    const low = sorted[i]!;
    const high = sorted[Math.min(i + 1, sorted.length - 1)]!;
    return low === high ? low : low + (h - i) * (high - low);
  };
  return { q1: at(0.25), q3: at(0.75) };
}

/** min + i·(max − min)/bins, last edge exactly max, safe when max − min overflows. */
function spanEdges(min: number, max: number, bins: number): number[] {
  const step = max / bins - min / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => min + i * step);
  edges[0] = min;
  edges[bins] = max;
  return edges;
}

/** The largest bin count ≤ bins whose edges are strictly increasing in floating point. */
function resolvableBins(min: number, max: number, bins: number): number {
  let candidate = bins;
  while (candidate > 1) {
    const edges = spanEdges(min, max, candidate);
    if (edges.every((edge, i) => i === 0 || edge > edges[i - 1]!)) return candidate;
    candidate = Math.floor(candidate / 2);
  }
  return 1;
}

/**
 * Edges evenly spaced in log₁₀ between min > 0 and max: as many as Freedman–Diaconis gives the
 * log values (Sturges when the quartiles are unknown or equal), resolvable in floating point.
 */
function logEdges(data: BinInputs & { min: number; max: number }, maxBins: number): BinSpec {
  const { count: n, min, max, q1, q3 } = data;
  const low = Math.log10(min);
  const high = Math.log10(max);
  const logIqr = q1 && q3 && q1 > 0 && q3 > q1 ? Math.log10(q3) - Math.log10(q1) : null;
  let wanted =
    logIqr === null ? sturgesBins(n) : Math.ceil((high - low) / (2 * logIqr * Math.cbrt(1 / n)));
  if (!Number.isFinite(wanted) || wanted < 1) wanted = 1;
  let bins = Math.min(wanted, maxBins);
  let edges = spanEdges(low, high, bins).map((exponent) => 10 ** exponent);
  while (bins > 1 && edges.some((edge, i) => i > 0 && !(edge > edges[i - 1]!))) {
    bins = Math.floor(bins / 2);
    edges = spanEdges(low, high, bins).map((exponent) => 10 ** exponent);
  }
  // 10^log₁₀(x) may differ from x in the last bit: the outer edges are the data's own.
  edges[0] = min;
  edges[bins] = max;
  return {
    edges,
    rule: 'log',
    binWidth: (high - low) / bins,
    capped: wanted > bins,
    ...(logIqr === null ? { fallback: 'quartiles unknown or equal: Sturges bin count' } : {}),
  };
}

/** Aligned fixed-width edges, or null if the width is finer than floating point resolves. */
function fixedWidthEdges(
  min: number,
  max: number,
  requested: number,
  maxBins: number,
): BinSpec | null {
  let width = requested;
  let start = Math.floor(min / width) * width;
  let bins = Math.max(1, Math.ceil(spread(start, max) / width));
  let capped = false;
  if (!Number.isFinite(bins) || bins > maxBins) {
    // Widen to a multiple of the requested width so edges stay on the same grid.
    width = requested * Math.ceil(spread(min, max) / requested / maxBins + 1e-9);
    start = Math.floor(min / width) * width;
    bins = Math.max(1, Math.ceil(spread(start, max) / width));
    if (bins > maxBins) {
      width *= 2;
      start = Math.floor(min / width) * width;
      bins = Math.max(1, Math.ceil(spread(start, max) / width));
    }
    capped = true;
  }
  // Rounding in ⌈(max − start)/width⌉ can leave max just past the last edge: add a bin then.
  // (A max exactly on the last edge needs none: the last bin is closed.)
  const edges = Array.from({ length: bins + 1 }, (_, i) => start + i * width);
  if (edges[bins]! < max) edges.push(start + (bins + 1) * width);
  if (edges.some((edge, i) => i > 0 && !(edge > edges[i - 1]!))) return null;
  return { edges, rule: 'fixed-width', binWidth: width, capped };
}
