/**
 * A growable output buffer for the generated encoders: each method writes one Kafka wire
 * primitive (see reader.ts for the formats) and validates its value, so an out-of-range number or
 * a null in a non-nullable field fails here instead of producing bytes a client would misread.
 *
 * Large byte fields (record batches in Fetch responses) are not copied: they are kept as separate
 * chunks, and `finish()` returns the message as a list of chunks for a gathering socket write.
 */
import { unsignedVarintSize, writeUnsignedVarint } from '../varint';
import { uuidToBytes } from './uuid';

/** A byte field given as one buffer or as a list of buffers to be written back to back. */
export type BytesInput = Uint8Array | readonly Uint8Array[];

/** A value cannot be encoded (wrong range, null where not allowed, field absent in the version). */
export class EncodeError extends Error {
  override readonly name = 'EncodeError';
}

/** Byte fields at least this long are referenced, not copied. */
const REFERENCE_THRESHOLD = 16 * 1024;
const INT16_STRING_MAX = 0x7fff;

export class Writer {
  private buffer: Buffer;
  private offset = 0;
  /** Start of the part of `buffer` that is not yet in `chunks`. */
  private segmentStart = 0;
  private readonly chunks: Uint8Array[] = [];
  private chunkBytes = 0;
  /** Inside a tagged field, bytes are moved after writing, so nothing may be referenced. */
  private taggedDepth = 0;
  private readonly sizePrefixed: boolean;

  /**
   * @param sizePrefixed reserve 4 bytes for the int32 frame size, filled in by `finish()`.
   */
  constructor(capacity = 512, sizePrefixed = false) {
    this.buffer = Buffer.allocUnsafe(Math.max(capacity, 16));
    this.sizePrefixed = sizePrefixed;
    if (sizePrefixed) this.offset = 4;
  }

  /** Bytes written so far, including the frame size prefix if any. */
  get size(): number {
    return this.chunkBytes + this.offset - this.segmentStart;
  }

  private ensure(size: number): void {
    if (this.offset + size <= this.buffer.length) return;
    const used = this.offset - this.segmentStart;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, used + size, 64));
    this.buffer.copy(grown, 0, this.segmentStart, this.offset);
    this.buffer = grown;
    this.segmentStart = 0;
    this.offset = used;
  }

  int8(value: number): void {
    this.ensure(1);
    this.offset = this.buffer.writeInt8(value, this.offset);
  }

  int16(value: number): void {
    this.ensure(2);
    this.offset = this.buffer.writeInt16BE(value, this.offset);
  }

  uint16(value: number): void {
    this.ensure(2);
    this.offset = this.buffer.writeUInt16BE(value, this.offset);
  }

  int32(value: number): void {
    this.ensure(4);
    this.offset = this.buffer.writeInt32BE(value, this.offset);
  }

  int64(value: bigint): void {
    this.ensure(8);
    this.offset = this.buffer.writeBigInt64BE(value, this.offset);
  }

  float64(value: number): void {
    this.ensure(8);
    this.offset = this.buffer.writeDoubleBE(value, this.offset);
  }

  bool(value: boolean): void {
    this.ensure(1);
    this.buffer[this.offset++] = value ? 1 : 0;
  }

  uuid(value: string): void {
    this.raw(uuidToBytes(value));
  }

  unsignedVarint(value: number): void {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
      throw new EncodeError(`unsigned varint out of range: ${value}`);
    }
    this.ensure(5);
    this.offset = writeUnsignedVarint(this.buffer, this.offset, value);
  }

  private length(length: number, compact: boolean, wide: boolean): void {
    if (compact) this.unsignedVarint(length + 1);
    else if (wide) this.int32(length);
    else this.int16(length);
  }

  /** Copies bytes in (or references them, when large and not inside a tagged field). */
  raw(bytes: Uint8Array): void {
    const size = bytes.length;
    if (size >= REFERENCE_THRESHOLD && this.taggedDepth === 0) {
      if (this.offset > this.segmentStart) {
        this.chunks.push(this.buffer.subarray(this.segmentStart, this.offset));
        this.chunkBytes += this.offset - this.segmentStart;
      }
      this.chunks.push(bytes);
      this.chunkBytes += size;
      this.segmentStart = this.offset;
      return;
    }
    this.ensure(size);
    this.buffer.set(bytes, this.offset);
    this.offset += size;
  }

  private text(value: string, compact: boolean): void {
    const size = Buffer.byteLength(value, 'utf8');
    if (size > INT16_STRING_MAX) {
      throw new EncodeError(`string of ${size} bytes is longer than ${INT16_STRING_MAX}`);
    }
    this.length(size, compact, false);
    this.ensure(size);
    this.offset += this.buffer.write(value, this.offset, size, 'utf8');
  }

  string(value: string | null, compact: boolean): void {
    if (value === null) throw new EncodeError('null given for a non-nullable string');
    this.text(value, compact);
  }

  nullableString(value: string | null, compact: boolean): void {
    if (value === null) this.length(-1, compact, false);
    else this.text(value, compact);
  }

  private blob(value: BytesInput, compact: boolean): void {
    if (value instanceof Uint8Array) {
      this.length(value.length, compact, true);
      this.raw(value);
      return;
    }
    let size = 0;
    for (const chunk of value) size += chunk.length;
    this.length(size, compact, true);
    for (const chunk of value) this.raw(chunk);
  }

  bytes(value: BytesInput | null, compact: boolean): void {
    if (value === null) throw new EncodeError('null given for non-nullable bytes');
    this.blob(value, compact);
  }

  nullableBytes(value: BytesInput | null, compact: boolean): void {
    if (value === null) this.length(-1, compact, true);
    else this.blob(value, compact);
  }

  /** Writes an array's length (or null), and returns whether elements follow. */
  arrayLength(
    value: readonly unknown[] | null,
    compact: boolean,
    nullable: boolean,
  ): value is readonly unknown[] {
    if (value === null) {
      if (!nullable) throw new EncodeError('null given for a non-nullable array');
      this.length(-1, compact, true);
      return false;
    }
    this.length(value.length, compact, true);
    return true;
  }

  int8Array(value: readonly number[] | null, compact: boolean, nullable: boolean): void {
    if (this.arrayLength(value, compact, nullable)) for (const v of value!) this.int8(v);
  }

  int16Array(value: readonly number[] | null, compact: boolean, nullable: boolean): void {
    if (this.arrayLength(value, compact, nullable)) for (const v of value!) this.int16(v);
  }

  int32Array(value: readonly number[] | null, compact: boolean, nullable: boolean): void {
    if (this.arrayLength(value, compact, nullable)) for (const v of value!) this.int32(v);
  }

  int64Array(value: readonly bigint[] | null, compact: boolean, nullable: boolean): void {
    if (this.arrayLength(value, compact, nullable)) for (const v of value!) this.int64(v);
  }

  uuidArray(value: readonly string[] | null, compact: boolean, nullable: boolean): void {
    if (this.arrayLength(value, compact, nullable)) for (const v of value!) this.uuid(v);
  }

  stringArray(value: readonly string[] | null, compact: boolean, nullable: boolean): void {
    if (this.arrayLength(value, compact, nullable)) for (const v of value!) this.string(v, compact);
  }

  /**
   * Starts a tagged field: writes its tag and returns a mark for `endTaggedField`, which inserts
   * the value's size (an unsigned varint, known only once the value is written) before it.
   */
  beginTaggedField(tag: number): number {
    this.unsignedVarint(tag);
    this.taggedDepth++;
    // Relative to the segment: growing the buffer moves the segment, but nothing is flushed
    // while a tagged field is open, so this stays valid.
    return this.offset - this.segmentStart;
  }

  endTaggedField(mark: number): void {
    this.taggedDepth--;
    const size = this.offset - (this.segmentStart + mark);
    const sizeBytes = unsignedVarintSize(size);
    this.ensure(sizeBytes);
    // `ensure` may have moved the segment; the value is the last `size` bytes either way.
    const start = this.offset - size;
    this.buffer.copyWithin(start + sizeBytes, start, this.offset);
    writeUnsignedVarint(this.buffer, start, size);
    this.offset += sizeBytes;
  }

  /** The message as chunks to write in order; with `sizePrefixed`, the first 4 bytes are its size. */
  finish(): Uint8Array[] {
    if (this.offset > this.segmentStart || this.chunks.length === 0) {
      this.chunks.push(this.buffer.subarray(this.segmentStart, this.offset));
      this.chunkBytes += this.offset - this.segmentStart;
      this.segmentStart = this.offset;
    }
    if (this.sizePrefixed) {
      const first = this.chunks[0]!;
      new DataView(first.buffer, first.byteOffset, 4).setInt32(0, this.chunkBytes - 4);
    }
    return this.chunks;
  }

  /** The message as one buffer (copies if large byte fields were referenced). */
  toBuffer(): Buffer {
    const chunks = this.finish();
    if (chunks.length !== 1) return Buffer.concat(chunks);
    const only = chunks[0]!;
    return Buffer.from(only.buffer, only.byteOffset, only.byteLength);
  }
}
