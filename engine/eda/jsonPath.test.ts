import { describe, expect, it } from 'vitest';
import { evaluateJsonPath, formatJsonPath, JsonPathError, parseJsonPath } from './jsonPath';

const at = (value: unknown, path: string) => evaluateJsonPath(value, parseJsonPath(path));

describe('JSON paths', () => {
  const order = {
    amount: 12.5,
    customer: { 'first name': 'Ada', tier: 'gold' },
    items: [
      { sku: 'KB-101', price: 89.9 },
      { sku: 'MS-220', price: 34.5 },
    ],
    flags: [true, false],
  };

  it('reads dotted names, indexes, negative indexes and quoted names', () => {
    expect(at(order, '$.amount')).toBe(12.5);
    expect(at(order, '$.items[0].price')).toBe(89.9);
    expect(at(order, '$.items[-1].sku')).toBe('MS-220');
    expect(at(order, "$.customer['first name']")).toBe('Ada');
    expect(at(order, '$["customer"].tier')).toBe('gold');
    expect(at(order, '$')).toBe(order);
  });

  it('answers undefined where the path leads nowhere', () => {
    expect(at(order, '$.missing')).toBeUndefined();
    expect(at(order, '$.items[5].price')).toBeUndefined();
    expect(at(order, '$.amount.value')).toBeUndefined();
    expect(at(order, '$.items.price')).toBeUndefined();
    expect(at(order, '$.customer[0]')).toBeUndefined();
    expect(at(null, '$.a')).toBeUndefined();
  });

  it('never walks the prototype chain', () => {
    expect(at({}, '$.constructor')).toBeUndefined();
    expect(at({}, '$.__proto__')).toBeUndefined();
    expect(at([], '$.length')).toBeUndefined();
    expect(at({ toString: 1 }, '$.toString')).toBe(1);
  });

  it('refuses malformed paths and says where', () => {
    for (const bad of ['amount', '$.', '$..a', '$[x]', "$['open", '$.a[1', '$.a b', '$[1.5]']) {
      expect(() => parseJsonPath(bad), bad).toThrow(JsonPathError);
    }
    expect(() => parseJsonPath('$.a b')).toThrow(/character 4/);
  });

  it('formats steps back into a path that parses to the same steps', () => {
    for (const path of ['$.amount', '$.items[0].price', "$['first name']", "$['it\\'s']"]) {
      const steps = parseJsonPath(path);
      expect(parseJsonPath(formatJsonPath(steps))).toEqual(steps);
    }
  });
});
