import { describe, expect, it } from 'vitest';
import { compileFilter, FilterError } from './filter';
import type { RawRecord } from './record';

function record(overrides: Partial<RawRecord> & { json?: unknown; text?: string } = {}): RawRecord {
  const { json, text, ...rest } = overrides;
  return {
    partition: 1,
    offset: 42,
    timestamp: Date.parse('2024-05-01T12:00:00Z'),
    timestampType: 'CreateTime',
    key: Buffer.from('eu-00042'),
    value: Buffer.from(
      text ??
        JSON.stringify(
          json ?? {
            amount: 150,
            currency: 'EUR',
            customer: { id: 'eu-00042', vip: true },
            items: [{ price: 10 }, { price: 140 }],
          },
        ),
    ),
    headers: [
      { key: 'source', value: Buffer.from('shop-web') },
      { key: 'trace-id', value: Buffer.from('abc') },
    ],
    ...rest,
  };
}

const matches = (expression: string, r: RawRecord = record()) =>
  compileFilter(expression).matches(r);

describe('filter expressions', () => {
  it('evaluates the example of the issue', () => {
    expect(matches('value.amount > 100 && key startsWith "eu-"')).toBe(true);
    expect(matches('value.amount > 200 && key startsWith "eu-"')).toBe(false);
    expect(matches('value.amount > 100 && key startsWith "us-"')).toBe(false);
  });

  it('reads nested fields, array items and lengths, headers, and record fields', () => {
    expect(matches('value.customer.vip == true')).toBe(true);
    expect(matches('value.items[1].price == 140')).toBe(true);
    expect(matches('value.items.length == 2')).toBe(true);
    expect(matches('value["currency"] == "EUR"')).toBe(true);
    expect(matches('headers.source == "shop-web"')).toBe(true);
    expect(matches('headers["trace-id"] endsWith "bc"')).toBe(true);
    expect(matches('headers contains "trace-id" && !(headers contains "nope")')).toBe(true);
    expect(matches('partition == 1 && offset >= 40 && offset < 50')).toBe(true);
    expect(matches('timestamp >= "2024-05-01T11:00Z" && timestamp < "2024-05-01T13:00:00Z"')).toBe(
      true,
    );
    expect(matches('size > 10')).toBe(true);
  });

  it('has contains, matches, string functions, arithmetic and the ternary', () => {
    expect(matches('key contains "000"')).toBe(true);
    expect(matches('key matches "^eu-[0-9]+$"')).toBe(true);
    expect(matches('key matches "/^EU-/i"')).toBe(true);
    expect(matches('upper(value.currency) == "EUR" && lower(key) == key')).toBe(true);
    expect(matches('value.items[0].price * 2 + 1 == 21')).toBe(true);
    expect(matches('(value.amount > 1000 ? "big" : "small") == "small"')).toBe(true);
    expect(matches('exists(value.customer.vip) && !exists(value.customer.missing)')).toBe(true);
    expect(matches('number("12") == 12 && length(key) == 8')).toBe(true);
  });

  it('missing fields and wrong types are simply false, never an error at evaluation', () => {
    expect(matches('value.nothing.deeper > 3')).toBe(false);
    expect(matches('value.amount startsWith "1"')).toBe(true); // the number's text
    expect(matches('value > 3', record({ text: 'plain text' }))).toBe(false);
    expect(matches('value contains "plain"', record({ text: 'plain text' }))).toBe(true);
    expect(matches('key == null', record({ key: null }))).toBe(true);
    expect(matches('value == null', record({ value: null }))).toBe(true);
    expect(matches('value.amount > 3', record({ value: Buffer.from([0xff, 0x00]) }))).toBe(false);
  });

  it('cannot reach prototypes, constructors or globals', () => {
    const hostile = [
      'value.constructor',
      'value.__proto__',
      'value["__proto__"]["polluted"] = 1',
      'key.constructor.constructor("return process")()',
      'value.toString',
      'headers.get',
      'headers.constructor',
      'value.items.map',
      'key["constructor"]',
      'value.hasOwnProperty',
    ];
    for (const expression of hostile) {
      let result: boolean | undefined;
      try {
        result = matches(expression);
      } catch (error) {
        expect(error).toBeInstanceOf(FilterError);
        continue;
      }
      expect(result, expression).toBe(false);
    }
    expect(() => compileFilter('process.exit')).toThrow(/Unknown name "process"/);
    expect(() => compileFilter('process.exit(1)')).toThrow(/Only these functions/);
    expect(() => compileFilter('globalThis')).toThrow(FilterError);
    expect(() => compileFilter('this.x')).toThrow(FilterError);
    expect(() => compileFilter('key.startsWith("eu")')).toThrow(/Only these functions/);
    expect(() => compileFilter('eval("1")')).toThrow(/Only these functions/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('data that names __proto__ or constructor is just data', () => {
    const r = record({ text: '{"__proto__": {"admin": true}, "constructor": "x"}' });
    expect(matches('value.__proto__.admin == true', r)).toBe(true);
    expect(matches('value.constructor == "x"', r)).toBe(true);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('refuses patterns that could backtrack forever, and backreferences', () => {
    expect(() => compileFilter('key matches "(a+)+$"')).toThrow(/nests repetitions/);
    expect(() => compileFilter('key matches "(x*y)*"')).toThrow(/nests repetitions/);
    expect(() => compileFilter('key matches "(a)\\\\1"')).toThrow(/Backreferences/);
    expect(() => compileFilter('key matches key')).toThrow(/quoted pattern/);
    expect(() => compileFilter('key matches "["')).toThrow(/Not a valid regular expression/);
  });

  it('says what is wrong with a bad expression and where', () => {
    const cases: [string, RegExp][] = [
      ['value.amount > ', /Expected expression after >/],
      ['value.amount >> 3', /at character/],
      ['key startsWith', /one expression|Expected expression/],
      ['value.amount > 100 key', /one expression/],
      ['(key == "a"', /Unclosed|Expected/],
      ['foo > 3', /Unknown name "foo".*\(at character 1\)/],
      ['key == "a"; value == 1', /one expression/],
      ['', /empty/],
      ['[1, 2]', /Lists/],
      ['value.amount > 1 & 2', /at character/],
    ];
    for (const [expression, message] of cases) {
      expect(() => compileFilter(expression), expression).toThrow(message);
    }
    try {
      compileFilter('value.amount > 10 && bogus == 1');
    } catch (error) {
      expect(error).toBeInstanceOf(FilterError);
      expect((error as FilterError).position).toBe(21);
    }
  });

  it('survives hostile input sizes and nesting without throwing anything but FilterError', () => {
    const deep = `${'('.repeat(500)}key${')'.repeat(500)} == "eu-00042"`;
    expect(matches(deep)).toBe(true);
    const huge = record({ text: JSON.stringify({ blob: 'x'.repeat(5_000_000) }) });
    expect(matches('value.blob matches "^x+$"', huge)).toBe(true);
    for (const junk of ['))))', '"unterminated', '.', 'a..b', '?:', '!!!', '\u0000', '`x`']) {
      try {
        compileFilter(junk);
      } catch (error) {
        expect(error, junk).toBeInstanceOf(FilterError);
      }
    }
  });
});
