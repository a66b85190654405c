/**
 * The fields a sample or scan reads from each record, named by one string each:
 *
 * | name | value |
 * |---|---|
 * | `size` | the record's bytes (key + value + headers) |
 * | `key` | the key as UTF-8 text (missing when null) |
 * | `timestamp` | the record's timestamp (ms since the epoch) |
 * | `partition`, `offset` | where the record is |
 * | `header:NAME` | the first header called NAME, as UTF-8 text |
 * | `$.path` | a JSON path into the value (see jsonPath.ts); missing when the value is not JSON |
 *
 * Values come back as JSON values (numbers, strings, booleans, objects) or `undefined` when
 * absent: the statistics count absent and non-numeric values as missing, by reason.
 */
import type { RawRecord } from '../browse/record';
import { recordSize } from '../browse/record';
import { ApiError } from '../http/apiError';
import { evaluateJsonPath, formatJsonPath, parseJsonPath, type PathStep } from './jsonPath';
import { FALLBACK, JsonPathScanner } from './jsonPathScan';

export type FieldExtractor = (record: RawRecord, view: RecordView) => unknown;

/** A record with its value parsed as JSON at most once, however many fields read it. */
export class RecordView {
  private parsed: unknown = NOT_PARSED;

  constructor(readonly record: RawRecord) {}

  /** The value as JSON, or undefined when it is absent or not JSON. */
  json(): unknown {
    if (this.parsed === NOT_PARSED) {
      const value = this.record.value;
      this.parsed = undefined;
      if (value !== null && value.length > 0) {
        try {
          this.parsed = JSON.parse(value.toString('utf8')) as unknown;
        } catch {
          // not JSON: every path into it is absent
        }
      }
    }
    return this.parsed;
  }
}
const NOT_PARSED = Symbol('not parsed');

const BUILT_IN: Record<string, FieldExtractor> = {
  size: (record) => recordSize(record),
  key: (record) => (record.key === null ? undefined : record.key.toString('utf8')),
  timestamp: (record) => record.timestamp,
  partition: (record) => record.partition,
  offset: (record) => record.offset,
};

/** Built-in field names, in the order the UI offers them. */
export const BUILT_IN_FIELDS = Object.keys(BUILT_IN);

/** Fields that are categories even though their values are numbers or text. */
export function isCategoricalByNature(field: string): boolean {
  return field === 'key' || field === 'partition' || field.startsWith('header:');
}

/** The extractor for a field name; a 400 naming `fieldPath` when the name is not valid. */
export function fieldExtractor(field: string, fieldPath = 'body.fields'): FieldExtractor {
  const builtIn = BUILT_IN[field];
  if (builtIn) return builtIn;
  if (field.startsWith('header:') && field.length > 'header:'.length) {
    const name = field.slice('header:'.length);
    return (record) => {
      const header = record.headers.find((h) => h.key === name);
      return header?.value == null ? undefined : header.value.toString('utf8');
    };
  }
  if (field.startsWith('$')) {
    let steps: PathStep[];
    try {
      steps = parseJsonPath(field);
    } catch (error) {
      throw new ApiError('VALIDATION_FAILED', `${fieldPath}: ${(error as Error).message}`, {
        field: fieldPath,
      });
    }
    const extract: FieldExtractor = (_record, view) => evaluateJsonPath(view.json(), steps);
    jsonPaths.set(extract, steps);
    return extract;
  }
  throw new ApiError(
    'VALIDATION_FAILED',
    `${fieldPath}: unknown field "${field}": use ${BUILT_IN_FIELDS.join(', ')}, header:NAME or a JSON path such as $.amount`,
    { field: fieldPath },
  );
}

/** The JSON path of each extractor made for one. */
const jsonPaths = new WeakMap<FieldExtractor, PathStep[]>();

/** How a list of extractors reads its JSON paths: one scanner, and each extractor's slot in it. */
interface JsonPlan {
  scanner: JsonPathScanner | null;
  /** Per extractor, its path's index in the scanner, or -1 when it is not a JSON path. */
  slots: number[];
}
const plans = new WeakMap<readonly FieldExtractor[], JsonPlan>();

function jsonPlan(extractors: readonly FieldExtractor[]): JsonPlan {
  let plan = plans.get(extractors);
  if (!plan) {
    const paths: PathStep[][] = [];
    const slots = extractors.map((extract) => {
      const steps = jsonPaths.get(extract);
      if (!steps) return -1;
      paths.push(steps);
      return paths.length - 1;
    });
    plan = { scanner: paths.length > 0 ? new JsonPathScanner(paths) : null, slots };
    plans.set(extractors, plan);
  }
  return plan;
}

/**
 * Reads every field of one record. JSON paths are read in one pass over the value's bytes
 * (jsonPathScan.ts); a value that pass leaves to JSON.parse is parsed once for all of them.
 * Pass the same extractor array for every record: its scanner is compiled once per array.
 */
export function extractFields(record: RawRecord, extractors: readonly FieldExtractor[]): unknown[] {
  const view = new RecordView(record);
  const { scanner, slots } = jsonPlan(extractors);
  let scanned: unknown[] | typeof FALLBACK | null = null;
  if (scanner) {
    const value = record.value;
    scanned = value !== null && value.length > 0 ? scanner.read(value) : null;
  }
  return extractors.map((extract, i) => {
    const slot = slots[i]!;
    if (slot < 0 || scanned === FALLBACK) return extract(record, view);
    return scanned === null ? undefined : scanned[slot];
  });
}

export interface FieldSuggestion {
  field: string;
  /** What the values at this path were, mostly. */
  kind: 'number' | 'string' | 'boolean';
  /** Records (of those looked at) that had a value here. */
  count: number;
}

/**
 * Collects the leaf paths of JSON values (numbers, strings, booleans), headers and built-ins
 * seen in records, most frequent first. Arrays contribute their first element (`[0]`), so an
 * order's `items[0].price` is suggested once, not once per item.
 */
export class FieldSuggester {
  private readonly paths = new Map<string, { count: number; kinds: Map<string, number> }>();
  private records = 0;

  constructor(
    private readonly maxPaths = 200,
    private readonly maxDepth = 6,
  ) {}

  add(record: RawRecord): void {
    this.records++;
    const seen = new Set<string>();
    for (const header of record.headers) this.note(`header:${header.key}`, 'string', seen);
    const view = new RecordView(record);
    const json = view.json();
    if (json !== undefined) this.walk(json, [], seen);
  }

  suggestions(): FieldSuggestion[] {
    const found = [...this.paths.entries()].map(([field, entry]) => {
      const kind = [...entry.kinds.entries()].sort((a, b) => b[1] - a[1])[0]![0];
      return { field, kind: kind as FieldSuggestion['kind'], count: entry.count };
    });
    found.sort((a, b) => b.count - a.count || a.field.localeCompare(b.field));
    const builtIn: FieldSuggestion[] = [
      { field: 'size', kind: 'number', count: this.records },
      { field: 'timestamp', kind: 'number', count: this.records },
      { field: 'key', kind: 'string', count: this.records },
      { field: 'partition', kind: 'number', count: this.records },
    ];
    return [...found, ...builtIn];
  }

  private walk(value: unknown, steps: PathStep[], seen: Set<string>): void {
    if (value === null) return;
    if (Array.isArray(value)) {
      if (value.length > 0 && steps.length < this.maxDepth) {
        this.walk(value[0], [...steps, { kind: 'index', index: 0 }], seen);
      }
      return;
    }
    switch (typeof value) {
      case 'number':
      case 'string':
      case 'boolean':
        this.note(formatJsonPath(steps), typeof value, seen);
        return;
      case 'object':
        if (steps.length >= this.maxDepth) return;
        for (const [name, child] of Object.entries(value as Record<string, unknown>)) {
          this.walk(child, [...steps, { kind: 'name', name }], seen);
        }
        return;
      default:
        return;
    }
  }

  private note(field: string, kind: string, seen: Set<string>): void {
    if (field === '$' || seen.has(field)) return;
    seen.add(field);
    let entry = this.paths.get(field);
    if (!entry) {
      if (this.paths.size >= this.maxPaths) return;
      entry = { count: 0, kinds: new Map() };
      this.paths.set(field, entry);
    }
    entry.count++;
    entry.kinds.set(kind, (entry.kinds.get(kind) ?? 0) + 1);
  }
}
