/**
 * Filter expressions over messages, e.g. `value.amount > 100 && key startsWith "eu-"`.
 *
 * Parsed with jsep (a maintained expression parser) and evaluated here by walking its syntax
 * tree: there is no `eval`, no `Function`, and no way to reach a prototype — a member access
 * reads only own properties of the data parsed from the message (or an array index, or
 * `length`), calls go only to the few functions listed in FUNCTIONS, and a regular expression
 * is compiled once from a literal pattern that is checked for catastrophic backtracking.
 *
 * Names: `key` (text), `value` (parsed JSON when the value is JSON, else its text), `headers`
 * (`headers.source`, `headers["trace-id"]`: the first value of that header, as text),
 * `timestamp` (ms since the epoch; compares with dates written as text, `timestamp >
 * "2024-05-01T12:00Z"`), `partition`, `offset`, `size` (bytes of key, value and headers), and
 * on Kafka's internal topics `internal`: the record as decoded for the message browser's Decoded
 * tab, plus its one-line `summary` — on `__cluster_metadata` `internal.typeName` ("TopicRecord",
 * "NoOpRecord"…), `internal.type` (its number), `internal.version` and `internal.fields.<name>`
 * as Kafka's metadata record definitions name them (`internal.fields.name == "orders"`); on
 * `__consumer_offsets` `internal.kind` ("offsetCommit", "groupMetadata"), `internal.group`,
 * `internal.topic`, `internal.offset`…; a record that does not decode has `internal.kind ==
 * "undecodable"` and `internal.reason`.
 */
import jsep from 'jsep';
import { internalRecordView, isDecodedInternalTopic } from '../sources/offline/internalTopics';
import { decodeField, fieldData } from './decode';
import type { RawRecord } from './record';

jsep.addBinaryOp('startsWith', 6);
jsep.addBinaryOp('endsWith', 6);
jsep.addBinaryOp('contains', 6);
jsep.addBinaryOp('matches', 6);
// Bitwise operators, `**` and `??` mean nothing useful on messages: remove them so that a typo
// like `a & b` is a clear parse error instead of a surprise.
for (const op of ['|', '^', '&', '<<', '>>', '>>>', '**', '??']) jsep.removeBinaryOp(op);
jsep.removeUnaryOp('~');

export class FilterError extends Error {
  override readonly name = 'FilterError';
  constructor(
    message: string,
    /** Zero-based character position in the expression, when known. */
    readonly position: number | null,
  ) {
    super(position === null ? message : `${message} (at character ${position + 1})`);
  }
}

export interface Filter {
  /** The expression as given. */
  source: string;
  /** True when the expression reads `value` (so the value must be parsed). */
  readsValue: boolean;
  matches(record: RawRecord): boolean;
}

const NAMES = [
  'key',
  'value',
  'headers',
  'timestamp',
  'partition',
  'offset',
  'size',
  'internal',
] as const;
type Name = (typeof NAMES)[number];

/** Regex input is cut to this many characters: a filter must stay fast on 10 MB values. */
const MATCH_INPUT_LIMIT = 1024 * 1024;
const MAX_PATTERN_LENGTH = 500;

type Value = unknown;
type Evaluate = (scope: Scope) => Value;

/** What an expression sees of one record; fields decode lazily and once. */
class Scope {
  private keyText: string | null | undefined;
  private valueData: Value;
  private valueDone = false;
  private headerMap: Map<string, string | null> | undefined;
  private internalData: Value;
  private internalDone = false;

  constructor(
    readonly record: RawRecord,
    /** The record's topic, for `internal`; set only where it is a decoded internal topic. */
    private readonly internalTopic: string | null,
  ) {}

  get(name: Name): Value {
    const record = this.record;
    switch (name) {
      case 'key':
        if (this.keyText === undefined) this.keyText = decodeField(record.key).text;
        return this.keyText;
      case 'value':
        if (!this.valueDone) {
          this.valueData = fieldData(record.value);
          this.valueDone = true;
        }
        return this.valueData;
      case 'headers':
        if (!this.headerMap) {
          this.headerMap = new Map();
          for (const header of record.headers) {
            if (!this.headerMap.has(header.key)) {
              this.headerMap.set(header.key, decodeField(header.value).text);
            }
          }
        }
        return this.headerMap;
      case 'timestamp':
        return record.timestamp;
      case 'partition':
        return record.partition;
      case 'offset':
        return record.offset;
      case 'internal':
        if (!this.internalDone) {
          this.internalData = internalFilterData(this.internalTopic, record);
          this.internalDone = true;
        }
        return this.internalData;
      case 'size': {
        let size = (record.key?.length ?? 0) + (record.value?.length ?? 0);
        for (const h of record.headers) size += Buffer.byteLength(h.key) + (h.value?.length ?? 0);
        return size;
      }
    }
  }
}

/** The decoded record with its summary, as `internal` shows it to an expression. */
function internalFilterData(topic: string | null, record: RawRecord): Value {
  if (topic === null) return null;
  const view = internalRecordView(topic, record.key, record.value);
  return view === null ? null : { ...view.decoded, summary: view.summary };
}

export interface FilterOptions {
  /**
   * The topic the records come from: `internal` needs it to know how to decode them. Without
   * it (a caller that reads no single topic), an expression that reads `internal` is refused.
   */
  topic?: string;
}

/** Compiles an expression; throws a FilterError that says what is wrong and where. */
export function compileFilter(source: string, options: FilterOptions = {}): Filter {
  if (source.trim() === '') throw new FilterError('The filter is empty.', 0);
  let ast: jsep.Expression;
  try {
    ast = jsep(source);
  } catch (error) {
    const { description, index } = error as { description?: string; index?: number };
    throw new FilterError(
      description ?? (error instanceof Error ? error.message : String(error)),
      typeof index === 'number' ? index : null,
    );
  }
  const compiler = new Compiler(source);
  const evaluate = compiler.compile(ast);
  const { topic } = options;
  if (compiler.readsInternal) {
    const position = /(?<![\w.])internal(?!\w)/.exec(source)?.index ?? null;
    if (topic === undefined) {
      throw new FilterError(
        '"internal" needs the topic its records come from, and this reader has none.',
        position,
      );
    }
    if (!isDecodedInternalTopic(topic)) {
      throw new FilterError(
        `"internal" is the decoded record of Kafka's internal topics __cluster_metadata and ` +
          `__consumer_offsets; the records of "${topic}" have none.`,
        position,
      );
    }
  }
  const internalTopic = topic !== undefined && isDecodedInternalTopic(topic) ? topic : null;
  return {
    source,
    readsValue: compiler.readsValue,
    matches: (record) => truthy(evaluate(new Scope(record, internalTopic))),
  };
}

const FUNCTIONS: Record<string, { arity: number; run: (...args: Value[]) => Value }> = {
  lower: { arity: 1, run: (x) => (typeof x === 'string' ? x.toLowerCase() : null) },
  upper: { arity: 1, run: (x) => (typeof x === 'string' ? x.toUpperCase() : null) },
  length: {
    arity: 1,
    run: (x) => (typeof x === 'string' || Array.isArray(x) ? x.length : null),
  },
  number: { arity: 1, run: (x) => toNumber(x) },
  string: { arity: 1, run: (x) => (x === null || x === undefined ? null : textOf(x)) },
  /** True when a field is present (not undefined): `exists(value.customer.vip)`. */
  exists: { arity: 1, run: (x) => x !== undefined },
};

class Compiler {
  readsValue = false;
  readsInternal = false;

  constructor(private readonly source: string) {}

  compile(node: jsep.Expression): Evaluate {
    switch (node.type) {
      case 'Literal': {
        const value = (node as jsep.Literal).value;
        return () => value;
      }
      case 'Identifier':
        return this.identifier((node as jsep.Identifier).name);
      case 'MemberExpression':
        return this.member(node as jsep.MemberExpression);
      case 'UnaryExpression':
        return this.unary(node as jsep.UnaryExpression);
      case 'BinaryExpression':
        return this.binary(node as jsep.BinaryExpression);
      case 'ConditionalExpression': {
        const { test, consequent, alternate } = node as jsep.ConditionalExpression;
        const [t, c, a] = [this.compile(test), this.compile(consequent), this.compile(alternate)];
        return (scope) => (truthy(t(scope)) ? c(scope) : a(scope));
      }
      case 'CallExpression':
        return this.call(node as jsep.CallExpression);
      case 'Compound':
        throw this.error(
          'Write one expression: join conditions with && or ||, and finish each comparison.',
          null,
        );
      case 'ThisExpression':
        throw this.error('"this" is not a name here.', 'this');
      case 'ArrayExpression':
        throw this.error('Lists [...] are not supported in filters.', '[');
      default:
        throw this.error(`${node.type} is not supported in filters.`, null);
    }
  }

  private identifier(name: string): Evaluate {
    if (!(NAMES as readonly string[]).includes(name)) {
      throw this.error(`Unknown name "${name}": use ${NAMES.join(', ')}.`, name);
    }
    if (name === 'value') this.readsValue = true;
    if (name === 'internal') this.readsInternal = true;
    return (scope) => scope.get(name as Name);
  }

  private member(node: jsep.MemberExpression): Evaluate {
    const object = this.compile(node.object);
    let property: Evaluate;
    if (node.computed) {
      property = this.compile(node.property);
    } else {
      const name = (node.property as jsep.Identifier).name;
      property = () => name;
    }
    return (scope) => readProperty(object(scope), property(scope));
  }

  private unary(node: jsep.UnaryExpression): Evaluate {
    const argument = this.compile(node.argument);
    switch (node.operator) {
      case '!':
        return (scope) => !truthy(argument(scope));
      case '-':
        return (scope) => {
          const n = toNumber(argument(scope));
          return n === null ? null : -n;
        };
      case '+':
        return (scope) => toNumber(argument(scope));
      default:
        throw this.error(`The operator ${node.operator} is not supported.`, node.operator);
    }
  }

  private binary(node: jsep.BinaryExpression): Evaluate {
    const { operator } = node;
    const left = this.compile(node.left);
    if (operator === 'matches') return this.matches(left, node.right);
    const right = this.compile(node.right);
    switch (operator) {
      case '&&':
        return (scope) => truthy(left(scope)) && truthy(right(scope));
      case '||':
        return (scope) => truthy(left(scope)) || truthy(right(scope));
      case '==':
      case '===':
        return (scope) => equal(left(scope), right(scope));
      case '!=':
      case '!==':
        return (scope) => !equal(left(scope), right(scope));
      case '<':
        return (scope) => compare(left(scope), right(scope), (c) => c < 0);
      case '<=':
        return (scope) => compare(left(scope), right(scope), (c) => c <= 0);
      case '>':
        return (scope) => compare(left(scope), right(scope), (c) => c > 0);
      case '>=':
        return (scope) => compare(left(scope), right(scope), (c) => c >= 0);
      case '+':
        return (scope) => {
          const [a, b] = [left(scope), right(scope)];
          if (typeof a === 'string' || typeof b === 'string') return textOf(a) + textOf(b);
          return arithmetic(a, b, (x, y) => x + y);
        };
      case '-':
        return (scope) => arithmetic(left(scope), right(scope), (x, y) => x - y);
      case '*':
        return (scope) => arithmetic(left(scope), right(scope), (x, y) => x * y);
      case '/':
        return (scope) => arithmetic(left(scope), right(scope), (x, y) => x / y);
      case '%':
        return (scope) => arithmetic(left(scope), right(scope), (x, y) => x % y);
      case 'startsWith':
        return (scope) => strings(left(scope), right(scope), (a, b) => a.startsWith(b));
      case 'endsWith':
        return (scope) => strings(left(scope), right(scope), (a, b) => a.endsWith(b));
      case 'contains':
        return (scope) => contains(left(scope), right(scope));
      default:
        throw this.error(`The operator ${operator} is not supported.`, operator);
    }
  }

  private matches(left: Evaluate, patternNode: jsep.Expression): Evaluate {
    if (patternNode.type !== 'Literal' || typeof (patternNode as jsep.Literal).value !== 'string') {
      throw this.error('"matches" needs a quoted pattern: key matches "^eu-[0-9]+$".', 'matches');
    }
    const regex = compilePattern((patternNode as jsep.Literal).value as string, (message) =>
      this.error(message, (patternNode as jsep.Literal).raw),
    );
    return (scope) => {
      const subject = left(scope);
      if (subject === null || subject === undefined) return false;
      const text = typeof subject === 'string' ? subject : textOf(subject);
      return regex.test(text.length > MATCH_INPUT_LIMIT ? text.slice(0, MATCH_INPUT_LIMIT) : text);
    };
  }

  private call(node: jsep.CallExpression): Evaluate {
    const callee = node.callee;
    const name = callee.type === 'Identifier' ? (callee as jsep.Identifier).name : null;
    const fn = name !== null && Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
    if (!fn) {
      throw this.error(
        `Only these functions can be called: ${Object.keys(FUNCTIONS).join(', ')}.`,
        name ?? '(',
      );
    }
    if (node.arguments.length !== fn.arity) {
      throw this.error(`${name}() takes ${fn.arity} argument(s).`, name);
    }
    const args = node.arguments.map((argument) => this.compile(argument));
    return (scope) => fn.run(...args.map((argument) => argument(scope)));
  }

  /** A FilterError placed at the first whole-word occurrence of `near` in the source. */
  private error(message: string, near: string | null): FilterError {
    let position: number | null = null;
    if (near !== null) {
      const escaped = near.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const word = /^\w/.test(near) ? `(?<![\\w.])${escaped}(?!\\w)` : escaped;
      const found = new RegExp(word).exec(this.source);
      position = found ? found.index : null;
    }
    return new FilterError(message, position);
  }
}

/**
 * Reads `object[property]` without ever reaching a prototype: own data properties of objects
 * parsed from JSON, integer indexes and `length` of arrays and strings, header values by name.
 */
function readProperty(object: Value, property: Value): Value {
  if (object === null || object === undefined) return undefined;
  if (object instanceof Map) return typeof property === 'string' ? object.get(property) : undefined;
  if (typeof object === 'string' || Array.isArray(object)) {
    if (property === 'length') return object.length;
    const index = typeof property === 'number' ? property : Number(property);
    if (Number.isInteger(index) && index >= 0 && index < object.length) return object[index];
    return undefined;
  }
  if (typeof object === 'object') {
    const key = typeof property === 'number' ? String(property) : property;
    if (typeof key !== 'string') return undefined;
    const descriptor = Object.getOwnPropertyDescriptor(object, key);
    return descriptor && 'value' in descriptor ? (descriptor.value as Value) : undefined;
  }
  return undefined;
}

function truthy(value: Value): boolean {
  if (value === null || value === undefined || value === false || value === '') return false;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  return true;
}

function toNumber(value: Value): number | null {
  if (typeof value === 'number') return Number.isNaN(value) ? null : value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isNaN(n) ? null : n;
  }
  return null;
}

/** A date written as text, for comparisons with `timestamp`: ISO 8601 and RFC 2822. */
function dateOf(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}|^[A-Za-z]{3},? /.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

function textOf(value: Value): string {
  if (typeof value === 'string') return value;
  if (value instanceof Map) return JSON.stringify(Object.fromEntries(value));
  return JSON.stringify(value) ?? '';
}

/** Numbers compare as numbers (with a number given as text, or a date given as text). */
function numericPair(a: Value, b: Value): [number, number] | null {
  if (typeof a === 'number' && typeof b === 'number') return [a, b];
  if (typeof a === 'number' && typeof b === 'string') {
    const n = toNumber(b) ?? dateOf(b);
    return n === null ? null : [a, n];
  }
  if (typeof a === 'string' && typeof b === 'number') {
    const n = toNumber(a) ?? dateOf(a);
    return n === null ? null : [n, b];
  }
  return null;
}

function equal(a: Value, b: Value): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (a === b) return true;
  const numbers = numericPair(a, b);
  if (numbers) return numbers[0] === numbers[1];
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) {
    return textOf(a) === textOf(b);
  }
  return false;
}

function compare(a: Value, b: Value, test: (c: number) => boolean): boolean {
  const numbers = numericPair(a, b);
  if (numbers) return !Number.isNaN(numbers[0] - numbers[1]) && test(numbers[0] - numbers[1]);
  if (typeof a === 'string' && typeof b === 'string') return test(a < b ? -1 : a > b ? 1 : 0);
  return false;
}

function arithmetic(a: Value, b: Value, op: (x: number, y: number) => number): Value {
  const [x, y] = [toNumber(a), toNumber(b)];
  return x === null || y === null ? null : op(x, y);
}

function strings(a: Value, b: Value, test: (a: string, b: string) => boolean): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return false;
  return test(typeof a === 'string' ? a : textOf(a), typeof b === 'string' ? b : textOf(b));
}

function contains(haystack: Value, needle: Value): boolean {
  if (needle === null || needle === undefined) return false;
  if (typeof haystack === 'string') return haystack.includes(textOf(needle));
  if (Array.isArray(haystack)) return haystack.some((item) => equal(item, needle));
  if (haystack instanceof Map) return typeof needle === 'string' && haystack.has(needle);
  if (haystack !== null && typeof haystack === 'object') {
    return typeof needle === 'string' && Object.hasOwn(haystack, needle);
  }
  return false;
}

/**
 * A pattern as `"text"` or `"/text/flags"` (flags i, m, s, u). Refused: a quantified group that
 * itself holds a quantifier (`(a+)+`, `(x*y)*`), the shape of catastrophic backtracking, and
 * backreferences, which can be just as slow.
 */
function compilePattern(pattern: string, error: (message: string) => FilterError): RegExp {
  let body = pattern;
  let flags = '';
  const literal = /^\/(.*)\/([a-z]*)$/s.exec(pattern);
  if (literal) {
    body = literal[1]!;
    flags = literal[2]!;
    if (!/^[imsu]*$/.test(flags)) throw error(`Unsupported regular expression flags "${flags}".`);
  }
  if (body.length > MAX_PATTERN_LENGTH) {
    throw error(`The pattern is longer than ${MAX_PATTERN_LENGTH} characters.`);
  }
  if (/\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*(?:[+*]|\{\d+,\d*\})/.test(body)) {
    throw error('The pattern nests repetitions (like (a+)+), which can take forever; simplify it.');
  }
  if (/\\[1-9]|\\k</.test(body)) throw error('Backreferences are not supported in patterns.');
  try {
    return new RegExp(body, flags);
  } catch (cause) {
    throw error(`Not a valid regular expression: ${(cause as Error).message}`);
  }
}
