/**
 * JSON Lines export written straight into byte chunks: the same bytes as `toJsonLine`, without
 * its detour through strings. A UTF-8 key or value with nothing JSON must escape (no `"`, `\` or
 * control character — JSON.stringify escapes nothing else in well-formed text) is copied as it
 * is; anything else takes the string path. Decoding every value to a string, stringifying an
 * object per message and encoding it back to UTF-8 for the file was most of an export's time.
 */
import { isUtf8 } from 'node:buffer';
import type { RawRecord } from '../browse/record';

const QUOTE = 0x22;

function needsEscape(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c < 0x20 || c === QUOTE || c === 0x5c) return true;
  }
  return false;
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
    this.ascii(
      `{"partition":${record.partition},"offset":${record.offset},"timestamp":${record.timestamp},"timestampType":"${record.timestampType}","key":`,
    );
    this.ascii(`,"keyEncoding":"${this.bytes(record.key)}","value":`);
    this.ascii(`,"valueEncoding":"${this.bytes(record.value)}","headers":[`);
    for (let i = 0; i < record.headers.length; i++) {
      const header = record.headers[i]!;
      this.ascii(i === 0 ? '{"key":' : ',{"key":');
      this.text(JSON.stringify(header.key));
      this.ascii(',"value":');
      this.ascii(`,"encoding":"${this.bytes(header.value)}"}`);
    }
    this.ascii(']}\n');
  }

  /** Writes a key, value or header value as a JSON string (or null); returns its encoding. */
  private bytes(bytes: Buffer | null): 'utf8' | 'base64' {
    if (bytes === null) {
      this.ascii('null');
      return 'utf8';
    }
    if (!isUtf8(bytes)) {
      this.ascii(`"${bytes.toString('base64')}"`);
      return 'base64';
    }
    if (needsEscape(bytes)) {
      this.text(JSON.stringify(bytes.toString('utf8')));
      return 'utf8';
    }
    this.reserve(bytes.length + 2);
    const b = this.buffer;
    b[this.p++] = QUOTE;
    this.p += bytes.copy(b, this.p);
    b[this.p++] = QUOTE;
    return 'utf8';
  }

  /** ASCII only: numbers, names and base64. */
  private ascii(text: string): void {
    this.reserve(text.length);
    this.p += this.buffer.write(text, this.p, 'latin1');
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
