import { describe, expect, it } from 'vitest';
import type { RawRecord } from '../browse/record';
import { csvHeader, parseJsonLine, toCsvRow, toJsonLine } from './jsonLines';

const record = (over: Partial<RawRecord> = {}): RawRecord => ({
  partition: 1,
  offset: 42,
  timestamp: 1_700_000_000_123,
  timestampType: 'CreateTime',
  key: Buffer.from('order-7'),
  value: Buffer.from('{"total": 12.5, "note": "ünïcode ✓"}'),
  headers: [{ key: 'trace', value: Buffer.from('abc') }],
  ...over,
});

describe('JSON Lines', () => {
  it('round-trips text and binary bytes exactly, with the encoding named', () => {
    const binary = Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80, 10, 13]);
    const r = record({
      key: binary,
      value: Buffer.from('line one\nline "two"'),
      headers: [
        { key: 'bin', value: Buffer.from([0xc3, 0x28]) },
        { key: 'text', value: Buffer.from('') },
      ],
    });
    const line = toJsonLine(r);
    expect(line).not.toContain('\n');
    const data = JSON.parse(line);
    expect(data).toMatchObject({
      partition: 1,
      offset: 42,
      timestamp: 1_700_000_000_123,
      keyEncoding: 'base64',
      valueEncoding: 'utf8',
    });
    expect(data.headers[0].encoding).toBe('base64');
    const parsed = parseJsonLine(line, 2);
    expect(parsed).toEqual({
      ok: true,
      record: {
        partition: 1,
        timestamp: 1_700_000_000_123,
        key: binary,
        value: r.value,
        headers: r.headers,
      },
    });
  });

  it('keeps null keys and values null', () => {
    const parsed = parseJsonLine(toJsonLine(record({ key: null, value: null, headers: [] })), 2);
    expect(parsed).toMatchObject({ ok: true, record: { key: null, value: null, headers: [] } });
  });

  it('names the problem of a bad line', () => {
    const problem = (line: string, partitions = 2) => {
      const parsed = parseJsonLine(line, partitions);
      return parsed.ok ? null : parsed.problem;
    };
    expect(problem('{"value": "x"')).toMatch(/not valid JSON/);
    expect(problem('[1]')).toBe('not a JSON object');
    expect(problem('{"partition": 5}')).toMatch(/partition 5 does not exist \(the topic has 2\)/);
    expect(problem('{"partition": -1}')).toMatch(/non-negative integer/);
    expect(problem('{"timestamp": "yesterday"}')).toMatch(/timestamp/);
    expect(problem('{"value": "abc", "valueEncoding": "base64"}')).toMatch(/not valid base64/);
    expect(problem('{"key": "zz", "keyEncoding": "hex"}')).toMatch(/not valid hex/);
    expect(problem('{"key": "a", "keyEncoding": "rot13"}')).toMatch(/unknown encoding/);
    expect(problem('{"value": 5}')).toMatch(/value must be a string/);
    expect(problem('{"headers": {}}')).toMatch(/headers must be an array/);
    expect(problem('{"headers": [{"key": "h"}]}')).toBeNull(); // a null header value is a value
    expect(problem('{"value": "plain"}')).toBeNull();
  });
});

describe('CSV', () => {
  it('writes the chosen fields, quoting cells with commas, quotes and line breaks', () => {
    const fields = ['offset', 'key', 'value', 'headers'] as const;
    expect(csvHeader(fields)).toBe('offset,key,value,headers');
    const row = toCsvRow(record({ value: Buffer.from('a,"b"\nc') }), fields);
    expect(row).toBe(
      '42,order-7,"a,""b""\nc","[{""key"":""trace"",""value"":""abc"",""encoding"":""utf8""}]"',
    );
    expect(toCsvRow(record({ key: null, headers: [] }), ['key', 'headers'])).toBe(',');
  });
});
