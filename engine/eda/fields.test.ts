import { describe, expect, it } from 'vitest';
import type { RawRecord } from '../browse/record';
import { ApiError } from '../http/apiError';
import { extractFields, fieldExtractor, FieldSuggester } from './fields';

function record(value: string | null, extra: Partial<RawRecord> = {}): RawRecord {
  return {
    partition: 2,
    offset: 41,
    timestamp: 1_700_000_000_000,
    timestampType: 'CreateTime',
    key: Buffer.from('eu-00042'),
    value: value === null ? null : Buffer.from(value),
    headers: [{ key: 'source', value: Buffer.from('web') }],
    ...extra,
  };
}

describe('field extraction', () => {
  const fields = ['size', 'key', 'timestamp', 'partition', 'offset', 'header:source', '$.amount'];
  const extractors = fields.map((f) => fieldExtractor(f));

  it('reads built-ins, headers and JSON paths from one record', () => {
    const value = '{"amount": 12.5}';
    expect(extractFields(record(value), extractors)).toEqual([
      'eu-00042'.length + value.length + 'source'.length + 'web'.length,
      'eu-00042',
      1_700_000_000_000,
      2,
      41,
      'web',
      12.5,
    ]);
  });

  it('gives undefined for what is absent: null key, missing header, non-JSON value', () => {
    const values = extractFields(record('not json', { key: null, headers: [] }), extractors);
    expect(values[1]).toBeUndefined();
    expect(values[5]).toBeUndefined();
    expect(values[6]).toBeUndefined();
    expect(extractFields(record(null), [fieldExtractor('$.amount')])).toEqual([undefined]);
  });

  it('keeps JSON types: a numeric string stays a string for the statistics to classify', () => {
    expect(extractFields(record('{"amount": "12.5"}'), [fieldExtractor('$.amount')])).toEqual([
      '12.5',
    ]);
  });

  it('refuses unknown fields and malformed paths with a validation error naming the field', () => {
    for (const bad of ['amount', 'header:', '$.a[']) {
      let caught: unknown;
      try {
        fieldExtractor(bad, 'body.fields.3');
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ApiError);
      expect((caught as ApiError).code).toBe('VALIDATION_FAILED');
      expect((caught as ApiError).extra.field).toBe('body.fields.3');
    }
  });

  it('suggests leaf paths (first array element only), headers and built-ins, most frequent first', () => {
    const suggester = new FieldSuggester();
    suggester.add(record('{"amount": 1, "items": [{"price": 2}, {"price": 3}], "note": "x"}'));
    suggester.add(record('{"amount": 4, "items": []}'));
    const suggestions = suggester.suggestions();
    const byField = new Map(suggestions.map((s) => [s.field, s]));
    expect(byField.get('$.amount')).toEqual({ field: '$.amount', kind: 'number', count: 2 });
    expect(byField.get('$.items[0].price')).toEqual({
      field: '$.items[0].price',
      kind: 'number',
      count: 1,
    });
    expect(byField.get('header:source')?.count).toBe(2);
    expect(byField.has('$.items[1].price')).toBe(false);
    expect(suggestions.map((s) => s.field)).toContain('size');
    expect(suggestions.indexOf(byField.get('$.amount')!)).toBeLessThan(
      suggestions.indexOf(byField.get('$.note')!),
    );
  });
});
