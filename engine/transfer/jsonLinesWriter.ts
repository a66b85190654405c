/**
 * JSON Lines export written straight into byte chunks: the same bytes as `toJsonLine`, without
 * its detour through strings. A UTF-8 key or value is copied as it is, with `"`, `\` and control
 * characters escaped on the way (JSON.stringify escapes nothing else in well-formed text);
 * anything not UTF-8 goes as base64. Decoding every value to a string, stringifying an
 * object per message and encoding it back to UTF-8 for the file was most of an export's time.
 */
import { isUtf8 } from 'node:buffer';
import type { RawRecord } from '../browse/record';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** What follows the backslash for the characters JSON escapes in short form (0: \u00xx). */
const SHORT_ESCAPES = new Uint8Array(0x80);
SHORT_ESCAPES[0x08] = 0x62; // \b
SHORT_ESCAPES[0x09] = 0x74; // \t
SHORT_ESCAPES[0x0a] = 0x6e; // \n
SHORT_ESCAPES[0x0c] = 0x66; // \f
SHORT_ESCAPES[0x0d] = 0x72; // \r
SHORT_ESCAPES[QUOTE] = QUOTE;
SHORT_ESCAPES[BACKSLASH] = BACKSLASH;
const HEX = Buffer.from('0123456789abcdef', 'latin1');
const latin1 = (text: string) => Buffer.from(text, 'latin1');
/** The fixed parts of a line, encoded once. */
const PARTITION = latin1('{"partition":');
const OFFSET = latin1(',"offset":');
const TIMESTAMP = latin1(',"timestamp":');
const TYPES = {
  CreateTime: latin1(',"timestampType":"CreateTime","key":'),
  LogAppendTime: latin1(',"timestampType":"LogAppendTime","key":'),
};
const KEY_ENCODING = latin1(',"keyEncoding":');
const VALUE = latin1(',"value":');
const VALUE_ENCODING = latin1(',"valueEncoding":');
const HEADERS = latin1(',"headers":[');
const FIRST_HEADER = latin1('{"key":');
const NEXT_HEADER = latin1(',{"key":');
const HEADER_VALUE = latin1(',"value":');
const HEADER_ENCODING = latin1(',"encoding":');
const HEADER_END = latin1('}');
const LINE_END = latin1(']}\n');
const NULL = latin1('null');
const ENCODINGS = { utf8: latin1('"utf8"'), base64: latin1('"base64"') };

/**
 * How bytes go into JSON: `copy` (valid UTF-8 that JSON.stringify would leave as it is),
 * `escape` (valid UTF-8 with a quote, backslash or control character) or `base64`. One pass
 * over ASCII; UTF-8 validity is asked of Node only when a byte ≥ 0x80 turns up.
 */
function classify(bytes: Buffer): 'copy' | 'escape' | 'base64' {
  let ascii = true;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c < 0x20 || c === QUOTE || c === BACKSLASH) return isUtf8(bytes) ? 'escape' : 'base64';
    if (c >= 0x80) ascii = false;
  }
  return ascii || isUtf8(bytes) ? 'copy' : 'base64';
}

export class JsonLinesWriter {
  private buffer: Buffer;
  private p = 0;

  /** `chunkBytes`: how much is gathered before `full` says a chunk is ready. */
  constructor(private readonly chunkBytes = 1024 * 1024) {
    this.buffer = Buffer.allocUnsafe(chunkBytes + 64 * 1024);
  }

  /** A chunk's worth of lines is waiting. */
  get full(): boolean {
    return this.p >= this.chunkBytes;
  }

  /** Hands out the lines written so far (a buffer of its own) and starts a new chunk. */
  take(): Buffer {
    const chunk = this.buffer.subarray(0, this.p);
    this.buffer = Buffer.allocUnsafe(this.chunkBytes + 64 * 1024);
    this.p = 0;
    return chunk;
  }

  /** Appends one message as a line, byte for byte what `toJsonLine(record) + '\n'` encodes. */
  add(record: RawRecord): void {
    this.constant(PARTITION);
    this.integer(record.partition);
    this.constant(OFFSET);
    this.integer(record.offset);
    this.constant(TIMESTAMP);
    this.integer(record.timestamp);
    this.constant(TYPES[record.timestampType]);
    const keyEncoding = this.bytes(record.key);
    this.constant(KEY_ENCODING);
    this.constant(ENCODINGS[keyEncoding]);
    this.constant(VALUE);
    const valueEncoding = this.bytes(record.value);
    this.constant(VALUE_ENCODING);
    this.constant(ENCODINGS[valueEncoding]);
    this.constant(HEADERS);
    for (let i = 0; i < record.headers.length; i++) {
      const header = record.headers[i]!;
      this.constant(i === 0 ? FIRST_HEADER : NEXT_HEADER);
      this.text(JSON.stringify(header.key));
      this.constant(HEADER_VALUE);
      const encoding = this.bytes(header.value);
      this.constant(HEADER_ENCODING);
      this.constant(ENCODINGS[encoding]);
      this.constant(HEADER_END);
    }
    this.constant(LINE_END);
  }

  /** Writes a key, value or header value as a JSON string (or null); returns its encoding. */
  private bytes(bytes: Buffer | null): 'utf8' | 'base64' {
    if (bytes === null) {
      this.constant(NULL);
      return 'utf8';
    }
    switch (classify(bytes)) {
      case 'base64':
        this.reserve(4 * Math.ceil(bytes.length / 3) + 2);
        this.buffer[this.p++] = QUOTE;
        this.p += this.buffer.write(bytes.toString('base64'), this.p, 'latin1');
        this.buffer[this.p++] = QUOTE;
        return 'base64';
      case 'escape':
        this.escaped(bytes);
        return 'utf8';
      case 'copy': {
        this.reserve(bytes.length + 2);
        const b = this.buffer;
        b[this.p++] = QUOTE;
        this.p += bytes.copy(b, this.p);
        b[this.p++] = QUOTE;
        return 'utf8';
      }
    }
  }

  /**
   * Valid UTF-8 with characters to escape, escaped as JSON.stringify does it (short forms for
   * \b \t \n \f \r, `\u00xx` for other controls, `\"` and `\\`), straight from the bytes:
   * JSON values in messages are full of quotes, and decoding them to a string and encoding the
   * stringified result back was the slowest part of an export.
   */
  private escaped(bytes: Buffer): void {
    this.reserve(bytes.length * 6 + 2);
    const b = this.buffer;
    let p = this.p;
    b[p++] = QUOTE;
    for (let i = 0; i < bytes.length; i++) {
      const c = bytes[i]!;
      if (c >= 0x20 && c !== QUOTE && c !== BACKSLASH) {
        b[p++] = c;
        continue;
      }
      b[p++] = BACKSLASH;
      const short = SHORT_ESCAPES[c]!;
      if (short !== 0) {
        b[p++] = short;
      } else {
        // \u00xx, lower-case hex as JSON.stringify writes it
        b[p++] = 0x75;
        b[p++] = 0x30;
        b[p++] = 0x30;
        b[p++] = HEX[c >> 4]!;
        b[p++] = HEX[c & 0xf]!;
      }
    }
    b[p++] = QUOTE;
    this.p = p;
  }

  /** A byte at a time: the fixed parts are a few bytes, where a copy call costs more. */
  private constant(bytes: Buffer): void {
    this.reserve(bytes.length);
    const b = this.buffer;
    let p = this.p;
    for (let i = 0; i < bytes.length; i++) b[p++] = bytes[i]!;
    this.p = p;
  }

  /** An integer as JSON writes it (offsets, partitions, timestamps: safe integers). */
  private integer(n: number): void {
    this.reserve(22);
    const b = this.buffer;
    if (n < 0) {
      b[this.p++] = 0x2d;
      n = -n;
    }
    let digits = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
    for (let i = this.p + digits - 1; i >= this.p; i--) {
      b[i] = 0x30 + (n % 10);
      n = Math.floor(n / 10);
    }
    this.p += digits;
  }

  private text(text: string): void {
    this.reserve(text.length * 3);
    this.p += this.buffer.write(text, this.p, 'utf8');
  }

  private reserve(bytes: number): void {
    if (this.p + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.p + bytes));
    this.buffer.copy(grown, 0, 0, this.p);
    this.buffer = grown;
  }
}
