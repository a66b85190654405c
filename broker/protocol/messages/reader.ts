/**
 * A cursor over one Kafka message's bytes, used by the generated decoders: each method reads one
 * wire primitive at `offset` and advances it. Everything that can run past the end or describe an
 * impossible length throws a `DecodeError` before allocating anything, so a hostile frame costs at
 * most its own size. Byte fields are returned as views into the frame (zero copy).
 *
 * Wire formats (Kafka protocol guide, "Protocol Primitive Types"): big-endian integers; STRING is
 * int16 length + UTF-8 (-1 = null); BYTES is int32 length (-1 = null); arrays are int32 count (-1 =
 * null). In flexible versions the "compact" forms use an unsigned varint of length + 1 (0 = null).
 */
import { readUnsignedVarint } from '../varint';
import { uuidFromBytes } from './uuid';

/** The bytes do not form a valid message of the version being decoded. */
export class DecodeError extends Error {
  override readonly name = 'DecodeError';
}

export class Reader {
  readonly buffer: Buffer;
  offset: number;

  constructor(bytes: Uint8Array, offset = 0) {
    this.buffer = Buffer.isBuffer(bytes)
      ? bytes
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.offset = offset;
  }

  get remaining(): number {
    return this.buffer.length - this.offset;
  }

  private need(size: number): number {
    const at = this.offset;
    if (at + size > this.buffer.length) {
      throw new DecodeError(
        `needs ${size} byte(s) at offset ${at}, but only ${this.buffer.length - at} remain`,
      );
    }
    this.offset = at + size;
    return at;
  }

  skip(size: number): void {
    this.need(size);
  }

  int8(): number {
    return this.buffer.readInt8(this.need(1));
  }

  int16(): number {
    return this.buffer.readInt16BE(this.need(2));
  }

  uint16(): number {
    return this.buffer.readUInt16BE(this.need(2));
  }

  int32(): number {
    return this.buffer.readInt32BE(this.need(4));
  }

  int64(): bigint {
    return this.buffer.readBigInt64BE(this.need(8));
  }

  float64(): number {
    return this.buffer.readDoubleBE(this.need(8));
  }

  bool(): boolean {
    return this.buffer[this.need(1)] !== 0;
  }

  uuid(): string {
    const at = this.need(16);
    return uuidFromBytes(this.buffer.subarray(at, at + 16));
  }

  unsignedVarint(): number {
    const { value, next } = readUnsignedVarint(this.buffer, this.offset);
    this.offset = next;
    return value;
  }

  /** Length of a string, bytes or array: -1 stands for null. */
  private length(compact: boolean, wide: boolean): number {
    if (compact) return this.unsignedVarint() - 1;
    return wide ? this.int32() : this.int16();
  }

  private nonNull(length: number, what: string): number {
    if (length < 0) throw new DecodeError(`non-nullable ${what} is null at offset ${this.offset}`);
    return length;
  }

  private text(length: number): string {
    const at = this.need(length);
    return this.buffer.toString('utf8', at, at + length);
  }

  string(compact: boolean): string {
    return this.text(this.nonNull(this.length(compact, false), 'string'));
  }

  nullableString(compact: boolean): string | null {
    const length = this.length(compact, false);
    return length < 0 ? null : this.text(length);
  }

  private slice(length: number): Buffer {
    const at = this.need(length);
    return this.buffer.subarray(at, at + length);
  }

  bytes(compact: boolean): Buffer {
    return this.slice(this.nonNull(this.length(compact, true), 'bytes'));
  }

  nullableBytes(compact: boolean): Buffer | null {
    const length = this.length(compact, true);
    return length < 0 ? null : this.slice(length);
  }

  /**
   * Element count of an array, or -1 for null when `nullable`. Every element takes at least one
   * byte, so a count larger than what remains is rejected before anything is allocated.
   */
  arrayLength(compact: boolean, nullable: boolean): number {
    const count = this.length(compact, true);
    if (count < 0) {
      if (nullable) return -1;
      throw new DecodeError(`non-nullable array is null at offset ${this.offset}`);
    }
    if (count > this.remaining) {
      throw new DecodeError(`array of ${count} elements but only ${this.remaining} bytes remain`);
    }
    return count;
  }

  /** Reads a tagged field's size and returns the offset where its value must end. */
  taggedFieldEnd(): number {
    const size = this.unsignedVarint();
    const end = this.offset + size;
    if (end > this.buffer.length) {
      throw new DecodeError(`tagged field of ${size} bytes runs past the end`);
    }
    return end;
  }

  /** Checks that a known tagged field used exactly its declared size, or skips an unknown one. */
  endTaggedField(end: number, known: boolean): void {
    if (known && this.offset !== end) {
      throw new DecodeError(`tagged field ends at ${this.offset}, but its size says ${end}`);
    }
    this.offset = end;
  }

  /** Skips a tagged-field section of which no tag is known at this version. */
  skipTaggedFields(): void {
    for (let count = this.unsignedVarint(); count > 0; count--) {
      this.unsignedVarint();
      this.offset = this.taggedFieldEnd();
    }
  }

  int8Array(compact: boolean, nullable: boolean): number[] | null {
    const count = this.arrayLength(compact, nullable);
    if (count < 0) return null;
    const values: number[] = [];
    for (let i = 0; i < count; i++) values.push(this.int8());
    return values;
  }

  int16Array(compact: boolean, nullable: boolean): number[] | null {
    const count = this.arrayLength(compact, nullable);
    if (count < 0) return null;
    const values: number[] = [];
    for (let i = 0; i < count; i++) values.push(this.int16());
    return values;
  }

  int32Array(compact: boolean, nullable: boolean): number[] | null {
    const count = this.arrayLength(compact, nullable);
    if (count < 0) return null;
    const values: number[] = [];
    for (let i = 0; i < count; i++) values.push(this.int32());
    return values;
  }

  int64Array(compact: boolean, nullable: boolean): bigint[] | null {
    const count = this.arrayLength(compact, nullable);
    if (count < 0) return null;
    const values: bigint[] = [];
    for (let i = 0; i < count; i++) values.push(this.int64());
    return values;
  }

  uuidArray(compact: boolean, nullable: boolean): string[] | null {
    const count = this.arrayLength(compact, nullable);
    if (count < 0) return null;
    const values: string[] = [];
    for (let i = 0; i < count; i++) values.push(this.uuid());
    return values;
  }

  stringArray(compact: boolean, nullable: boolean): string[] | null {
    const count = this.arrayLength(compact, nullable);
    if (count < 0) return null;
    const values: string[] = [];
    for (let i = 0; i < count; i++) values.push(this.string(compact));
    return values;
  }
}
