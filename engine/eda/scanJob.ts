/**
 * Full-scan jobs: read every record of the range once, in order, and compute each field's
 * exact statistics in constant memory — moments exactly (Welford), quantiles from a KLL
 * sketch with its stated rank error, categories counted exactly. This is the truth a sample's
 * estimates are compared with ("Compare with full scan").
 *
 * Whether a field is numeric is decided from its first thousand present values (most of them
 * numbers: numeric); until then both summaries are kept, and afterwards only the one chosen.
 */
import type { FieldResult, ScanInput, ScanResult } from '../api/eda';
import type { LogReader } from '../browse/logReader';
import { CategoryCounter, NumericScan, numericValue } from '../stats';
import { extractFields, fieldExtractor, isCategoricalByNature } from './fields';
import { scanRanges, resolveRanges } from './logRanges';
import type { EdaJobContext } from './sampleJob';

/** Most distinct categories counted per field (memory stays bounded whatever the data). */
const MAX_DISTINCT = 10_000;
/** Present values seen before a field is taken as numeric or categorical. */
const DECIDE_AFTER = 1000;

class FieldScan {
  readonly numeric: NumericScan;
  readonly categories = new CategoryCounter(MAX_DISTINCT);
  present = 0;
  numbers = 0;
  /** Null while undecided. */
  private kind: 'numeric' | 'categorical' | null;

  constructor(
    readonly field: string,
    private readonly parseStrings: boolean,
  ) {
    this.numeric = new NumericScan({ parseStrings, seed: field });
    this.kind = isCategoricalByNature(field) ? 'categorical' : null;
  }

  add(value: unknown): void {
    if (this.kind === 'numeric') return this.numeric.add(value);
    if (this.kind === 'categorical') return this.categories.add(value);
    this.numeric.add(value);
    this.categories.add(value);
    if (value !== undefined && value !== null) {
      this.present++;
      if (typeof numericValue(value, { parseStrings: this.parseStrings }) === 'number')
        this.numbers++;
      if (this.present >= DECIDE_AFTER) this.kind = this.decide();
    }
  }

  private decide(): 'numeric' | 'categorical' {
    return this.present === 0 || this.numbers * 2 >= this.present ? 'numeric' : 'categorical';
  }

  result(histogram: ScanInput['histogram']): FieldResult {
    if ((this.kind ?? this.decide()) === 'numeric') {
      return {
        field: this.field,
        kind: 'numeric',
        numeric: this.numeric.result(
          histogram
            ? {
                histogram: {
                  rule: histogram.rule,
                  ...(histogram.width ? { width: histogram.width } : {}),
                },
              }
            : {},
        ),
        categorical: null,
      };
    }
    return {
      field: this.field,
      kind: 'categorical',
      numeric: null,
      categorical: this.categories.result({ top: 50 }),
    };
  }
}

export async function runScan(
  reader: LogReader,
  topic: string,
  input: ScanInput,
  context: EdaJobContext,
): Promise<ScanResult> {
  const started = Date.now();
  const extractors = input.fields.map((field, i) => fieldExtractor(field, `body.fields.${i}`));
  context.progress(0, { message: 'Looking up the range' });
  const ranges = await resolveRanges(reader, topic, input.range);
  const total = ranges.reduce((sum, r) => sum + (r.end - r.start), 0);
  const scans = input.fields.map((field) => new FieldScan(field, input.parseStrings));
  context.progress(0, { total, message: 'Scanning' });
  const read = await scanRanges(
    reader,
    topic,
    ranges,
    (record) => {
      const values = extractFields(record, extractors);
      for (let i = 0; i < scans.length; i++) scans[i]!.add(values[i]);
    },
    { signal: context.signal, progress: (done) => context.progress(done, { total }) },
  );
  return {
    kind: 'scan',
    topic,
    recordsRead: read.recordsRead,
    ranges,
    fields: scans.map((scan) => scan.result(input.histogram)),
    durationMs: Date.now() - started,
  };
}
