import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateJsonPath, parseJsonPath, type PathStep } from './jsonPath';
import { FALLBACK, JsonPathScanner } from './jsonPathScan';

/** What extraction gave before the scanner: parse the whole value, then walk the path. */
function byParse(bytes: Buffer, paths: readonly PathStep[][]): unknown[] {
  let root: unknown;
  try {
    root = JSON.parse(bytes.toString('utf8'));
  } catch {
    return paths.map(() => undefined);
  }
  return paths.map((steps) => evaluateJsonPath(root, steps));
}

/** The scanner, with JSON.parse where it falls back — what extractFields does. */
function byScan(bytes: Buffer, paths: readonly PathStep[][]): unknown[] {
  const values = new JsonPathScanner(paths).read(bytes);
  return values === FALLBACK ? byParse(bytes, paths) : values;
}

/** Names from a small set, so paths often hit, names repeat, and some need escaping or UTF-8. */
const NAMES = ['a', 'b', 'amount', 'é', 'x y', '__proto__', 'a"b', ''];
const name = fc.constantFrom(...NAMES);

/** JSON text written by hand, so it can hold what JSON.stringify never writes. */
const ws = fc.constantFrom('', ' ', '\n\t ', '\r\n');
const numberText = fc.oneof(
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => JSON.stringify(x)),
  fc.constantFrom('-0', '0.5e-3', '1E+2', '12345678901234567890', '1e400', '-1.0'),
);
const stringText = fc.oneof(
  fc.string().map((s) => JSON.stringify(s)),
  fc.constantFrom(
    '"plain"',
    '"tab\\there"',
    '"\\u00e9"',
    '"\\ud83d\\ude00"',
    '"é ünï"',
    '"\\ud800"',
  ),
);
const { value: jsonText } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    numberText,
    stringText,
    fc.constantFrom('true', 'false', 'null'),
    tie('object'),
    tie('array'),
  ) as fc.Arbitrary<string>,
  object: fc
    .array(
      fc.tuple(
        fc.oneof(
          name.map((n) => JSON.stringify(n)),
          // An escaped spelling of a wanted name.
          fc.constantFrom('"\\u0061"', '"am\\u006Fount"'),
        ),
        ws,
        tie('value') as fc.Arbitrary<string>,
      ),
      { maxLength: 5 },
    )
    .map((members) => `{${members.map(([k, w, v]) => `${w}${k}${w}:${w}${v}${w}`).join(',')}}`),
  array: fc
    .array(tie('value') as fc.Arbitrary<string>, { maxLength: 4 })
    .map((items) => `[${items.join(', ')}]`),
}));

/** Damage that JSON.parse refuses (or, now and then, accepts): a byte cut, added or changed. */
const damaged = fc
  .tuple(jsonText, fc.nat(), fc.constantFrom('', ',', '}', ']', '"', '\u0001', '\uFEFF', '\\', 'x'))
  .map(([text, at, insert]) => {
    const i = text.length === 0 ? 0 : at % text.length;
    return text.slice(0, i) + insert + text.slice(i + (insert === '' ? 1 : 0));
  });

const step: fc.Arbitrary<PathStep> = fc.oneof(
  name.map((n) => ({ kind: 'name' as const, name: n })),
  fc.integer({ min: -2, max: 4 }).map((index) => ({ kind: 'index' as const, index })),
);
const paths = fc.array(fc.array(step, { maxLength: 3 }), { minLength: 1, maxLength: 4 });

describe('JsonPathScanner', () => {
  it('reads what JSON.parse and the path give, on random documents', () => {
    fc.assert(
      fc.property(jsonText, paths, (text, wanted) => {
        const bytes = Buffer.from(text, 'utf8');
        expect(byScan(bytes, wanted)).toStrictEqual(byParse(bytes, wanted));
      }),
      { numRuns: 3000 },
    );
  });

  it('answers as JSON.parse does on damaged documents (usually: nothing)', () => {
    fc.assert(
      fc.property(damaged, paths, (text, wanted) => {
        const bytes = Buffer.from(text, 'utf8');
        expect(byScan(bytes, wanted)).toStrictEqual(byParse(bytes, wanted));
      }),
      { numRuns: 3000 },
    );
  });

  it('answers as JSON.parse does on bytes that are not UTF-8', () => {
    fc.assert(
      fc.property(jsonText, fc.nat(), fc.constantFrom(0x80, 0xc3, 0xff, 0xed), (text, at, byte) => {
        const bytes = Buffer.from(text, 'utf8');
        const i = bytes.length === 0 ? 0 : at % bytes.length;
        const broken = Buffer.concat([
          bytes.subarray(0, i),
          Buffer.from([byte]),
          bytes.subarray(i),
        ]);
        const wanted = [parseJsonPath('$.a'), parseJsonPath("$['é']"), parseJsonPath('$')];
        expect(byScan(broken, wanted)).toStrictEqual(byParse(broken, wanted));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads numbers, strings, literals and containers without falling back', () => {
    const scanner = new JsonPathScanner([
      parseJsonPath('$.amount'),
      parseJsonPath('$.region'),
      parseJsonPath('$.items[1].price'),
      parseJsonPath('$.items'),
      parseJsonPath('$.ok'),
      parseJsonPath('$.none'),
      parseJsonPath('$.missing'),
    ]);
    const text =
      '{"id": 7, "amount": -12.5e1, "region": "eu", "items": [{"price": 1}, {"price": 2.25}], "ok": true, "none": null}';
    expect(scanner.read(Buffer.from(text))).toStrictEqual([
      -125,
      'eu',
      2.25,
      [{ price: 1 }, { price: 2.25 }],
      true,
      null,
      undefined,
    ]);
  });

  it('takes the last of repeated names, as JSON.parse does', () => {
    const scanner = new JsonPathScanner([parseJsonPath('$.a.b'), parseJsonPath('$.a')]);
    expect(scanner.read(Buffer.from('{"a": {"b": 1}, "a": 2}'))).toStrictEqual([undefined, 2]);
    expect(scanner.read(Buffer.from('{"a": 2, "a": {"b": 1}}'))).toStrictEqual([1, { b: 1 }]);
  });

  it('leaves to JSON.parse what it does not read itself', () => {
    const scanner = new JsonPathScanner([parseJsonPath('$.a')]);
    expect(scanner.read(Buffer.from('{"\\u0061": 1}'))).toBe(FALLBACK);
    expect(scanner.read(Buffer.from('{"a": 1,}'))).toBe(FALLBACK);
    expect(scanner.read(Buffer.from('not json'))).toBe(FALLBACK);
    expect(new JsonPathScanner([parseJsonPath('$.a[-1]')]).read(Buffer.from('{"a":[1]}'))).toBe(
      FALLBACK,
    );
    const deep = '['.repeat(1000) + ']'.repeat(1000);
    expect(scanner.read(Buffer.from(deep))).toBe(FALLBACK);
  });
});
