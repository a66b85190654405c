/**
 * Reads the values at several JSON paths out of a message value's bytes in one pass, without
 * `toString` and `JSON.parse` building the whole document: a scan over every record of a topic
 * wants two numbers out of each value, and building strings and objects for everything else
 * cost more than the rest of the scan together.
 *
 * Exactness: on any document the answer is what `evaluateJsonPath(JSON.parse(text))` gives.
 * The pass checks the whole document against JSON's grammar (JSON.parse refuses a document
 * with an error anywhere, however far from the path); a repeated name takes its last value,
 * as JSON.parse does; numbers are converted by `Number` from the same text, which rounds as
 * JSON.parse does. Whatever it does not handle itself — an escaped object name, a negative
 * index, nesting deeper than it recurses, bytes that are not JSON — it answers `FALLBACK`,
 * and the caller parses the document as before.
 */
import type { PathStep } from './jsonPath';

/** The scan could not answer on its own: parse the document instead. */
export const FALLBACK = Symbol('parse the document');

interface PathNode {
  /** Paths (by index) that end at this node. */
  ends: number[];
  /** Every path index at or below this node (cleared when a repeated name is read again). */
  below: number[];
  names: { name: string; bytes: Buffer; node: PathNode }[];
  indexes: Map<number, PathNode>;
}

const node = (): PathNode => ({ ends: [], below: [], names: [], indexes: new Map() });

/** Nesting the scan follows before it leaves the document to JSON.parse. */
const MAX_DEPTH = 200;

class Fallback extends Error {}
const FALL_BACK = new Fallback('fall back');

/** A set of JSON paths compiled once, to read from many documents. */
export class JsonPathScanner {
  private readonly root = node();
  /** A negative index needs the array's length before its element: left to JSON.parse. */
  private readonly needsParse: boolean;
  private bytes: Buffer = Buffer.alloc(0);
  private p = 0;
  private values: unknown[] = [];

  constructor(paths: readonly (readonly PathStep[])[]) {
    let needsParse = false;
    paths.forEach((steps, index) => {
      let current = this.root;
      current.below.push(index);
      for (const step of steps) {
        let next: PathNode | undefined;
        if (step.kind === 'index') {
          if (step.index < 0) needsParse = true;
          next = current.indexes.get(step.index);
          if (!next) current.indexes.set(step.index, (next = node()));
        } else {
          const bytes = Buffer.from(step.name, 'utf8');
          next = current.names.find((n) => n.bytes.equals(bytes))?.node;
          if (!next) current.names.push({ name: step.name, bytes, node: (next = node()) });
        }
        current = next;
        current.below.push(index);
      }
      current.ends.push(index);
    });
    this.needsParse = needsParse;
  }

  /** The value at each path (undefined where absent), or FALLBACK. */
  read(bytes: Buffer): unknown[] | typeof FALLBACK {
    if (this.needsParse) return FALLBACK;
    this.bytes = bytes;
    this.p = 0;
    this.values = new Array<unknown>(this.root.below.length).fill(undefined);
    try {
      this.whitespace();
      this.value(this.root, 0);
      this.whitespace();
      if (this.p !== bytes.length) return FALLBACK;
      return this.values;
    } catch (error) {
      if (error instanceof Fallback || error instanceof RangeError) return FALLBACK;
      throw error;
    } finally {
      this.bytes = EMPTY;
    }
  }

  private whitespace(): void {
    const b = this.bytes;
    let p = this.p;
    while (p < b.length) {
      const c = b[p]!;
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      p++;
    }
    this.p = p;
  }

  /** Reads one value at `p`; `at` is the path node it stands for, or null to only check it. */
  private value(at: PathNode | null, depth: number): void {
    const b = this.bytes;
    if (this.p >= b.length) throw FALL_BACK;
    const start = this.p;
    const c = b[start]!;
    if (c === 0x7b /* { */) {
      if (depth >= MAX_DEPTH) throw FALL_BACK;
      this.object(at && at.names.length > 0 ? at : null, depth);
      if (at && at.ends.length > 0) this.setEnds(at, this.parseSlice(start));
    } else if (c === 0x5b /* [ */) {
      if (depth >= MAX_DEPTH) throw FALL_BACK;
      this.array(at && at.indexes.size > 0 ? at : null, depth);
      if (at && at.ends.length > 0) this.setEnds(at, this.parseSlice(start));
    } else if (c === 0x22 /* " */) {
      const escaped = this.string();
      if (at && at.ends.length > 0) {
        this.setEnds(
          at,
          escaped ? this.parseSlice(start) : b.toString('utf8', start + 1, this.p - 1),
        );
      }
    } else if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      this.number();
      if (at && at.ends.length > 0) this.setEnds(at, Number(b.toString('latin1', start, this.p)));
    } else {
      const literal = this.literal();
      if (at && at.ends.length > 0) this.setEnds(at, literal);
    }
  }

  private setEnds(at: PathNode, value: unknown): void {
    for (const index of at.ends) this.values[index] = value;
  }

  /** A container or escaped string read whole: JSON.parse of just its bytes is exact. */
  private parseSlice(start: number): unknown {
    return JSON.parse(this.bytes.toString('utf8', start, this.p)) as unknown;
  }

  private object(at: PathNode | null, depth: number): void {
    const b = this.bytes;
    this.p++; // {
    this.whitespace();
    if (b[this.p] === 0x7d /* } */) {
      this.p++;
      return;
    }
    for (;;) {
      if (b[this.p] !== 0x22) throw FALL_BACK;
      const keyStart = this.p + 1;
      if (this.string()) {
        // An escaped name may spell a wanted one: only JSON.parse knows.
        if (at) throw FALL_BACK;
      }
      const keyEnd = this.p - 1;
      this.whitespace();
      if (b[this.p] !== 0x3a /* : */) throw FALL_BACK;
      this.p++;
      this.whitespace();
      let child: PathNode | null = null;
      if (at) {
        let ascii = true;
        for (let k = keyStart; k < keyEnd; k++) if (b[k]! >= 0x80) ascii = false;
        // Bytes that are not valid UTF-8 read as U+FFFD after decoding: compare as text then.
        const text = ascii ? null : b.toString('utf8', keyStart, keyEnd);
        for (const candidate of at.names) {
          const name = candidate.bytes;
          const same =
            text !== null ? text === candidate.name : sameBytes(name, b, keyStart, keyEnd);
          if (same) {
            child = candidate.node;
            break;
          }
        }
      }
      // A repeated name: its last value wins, as in JSON.parse; forget what the earlier held.
      if (child) for (const index of child.below) this.values[index] = undefined;
      this.value(child, depth + 1);
      this.whitespace();
      const c = b[this.p];
      if (c === 0x2c /* , */) {
        this.p++;
        this.whitespace();
        continue;
      }
      if (c === 0x7d /* } */) {
        this.p++;
        return;
      }
      throw FALL_BACK;
    }
  }

  private array(at: PathNode | null, depth: number): void {
    const b = this.bytes;
    this.p++; // [
    this.whitespace();
    if (b[this.p] === 0x5d /* ] */) {
      this.p++;
      return;
    }
    for (let index = 0; ; index++) {
      this.value(at?.indexes.get(index) ?? null, depth + 1);
      this.whitespace();
      const c = b[this.p];
      if (c === 0x2c /* , */) {
        this.p++;
        this.whitespace();
        continue;
      }
      if (c === 0x5d /* ] */) {
        this.p++;
        return;
      }
      throw FALL_BACK;
    }
  }

  /** Steps over a string (checking it as JSON.parse would); returns whether it had escapes. */
  private string(): boolean {
    const b = this.bytes;
    let p = this.p + 1;
    let escaped = false;
    for (;;) {
      if (p >= b.length) throw FALL_BACK;
      const c = b[p]!;
      if (c === 0x22) break;
      if (c < 0x20) throw FALL_BACK; // control characters must be escaped
      if (c === 0x5c /* \ */) {
        escaped = true;
        const e = b[p + 1];
        if (e === 0x75 /* u */) {
          for (let k = 2; k < 6; k++) if (!isHex(b[p + k])) throw FALL_BACK;
          p += 6;
          continue;
        }
        if (
          e !== 0x22 &&
          e !== 0x5c &&
          e !== 0x2f &&
          e !== 0x62 &&
          e !== 0x66 &&
          e !== 0x6e &&
          e !== 0x72 &&
          e !== 0x74
        ) {
          throw FALL_BACK;
        }
        p += 2;
        continue;
      }
      p++;
    }
    this.p = p + 1;
    return escaped;
  }

  /** Steps over a number in JSON's grammar: -?(0|[1-9]d*)(.d+)?([eE][+-]?d+)? */
  private number(): void {
    const b = this.bytes;
    let p = this.p;
    if (b[p] === 0x2d) p++;
    if (b[p] === 0x30) {
      p++;
    } else if (isDigit(b[p])) {
      while (isDigit(b[p])) p++;
    } else {
      throw FALL_BACK;
    }
    if (b[p] === 0x2e /* . */) {
      p++;
      if (!isDigit(b[p])) throw FALL_BACK;
      while (isDigit(b[p])) p++;
    }
    if (b[p] === 0x65 || b[p] === 0x45 /* e E */) {
      p++;
      if (b[p] === 0x2b || b[p] === 0x2d) p++;
      if (!isDigit(b[p])) throw FALL_BACK;
      while (isDigit(b[p])) p++;
    }
    this.p = p;
  }

  private literal(): true | false | null {
    const b = this.bytes;
    const p = this.p;
    if (b[p] === 0x74 && b[p + 1] === 0x72 && b[p + 2] === 0x75 && b[p + 3] === 0x65) {
      this.p = p + 4;
      return true;
    }
    if (
      b[p] === 0x66 &&
      b[p + 1] === 0x61 &&
      b[p + 2] === 0x6c &&
      b[p + 3] === 0x73 &&
      b[p + 4] === 0x65
    ) {
      this.p = p + 5;
      return false;
    }
    if (b[p] === 0x6e && b[p + 1] === 0x75 && b[p + 2] === 0x6c && b[p + 3] === 0x6c) {
      this.p = p + 4;
      return null;
    }
    throw FALL_BACK;
  }
}

const EMPTY = Buffer.alloc(0);

/** Whether `bytes[start, end)` equals `name` (a loop: Buffer.compare's checks cost more here). */
function sameBytes(name: Buffer, bytes: Buffer, start: number, end: number): boolean {
  if (name.length !== end - start) return false;
  for (let i = 0; i < name.length; i++) if (name[i] !== bytes[start + i]) return false;
  return true;
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

function isHex(c: number | undefined): boolean {
  return (
    c !== undefined &&
    ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66))
  );
}
