/**
 * Variable-length integers as Kafka encodes them (protobuf style, 7 bits a byte, least
 * significant group first). Records use zigzag-signed varints and varlongs; flexible message
 * versions use unsigned varints for compact lengths and tagged fields.
 */

/** Thrown when a varint runs past the end of its buffer or past its maximum length. */
export class VarintError extends Error {
  override readonly name = 'VarintError';
}

export interface Decoded<T> {
  value: T;
  /** Offset of the first byte after the varint. */
  next: number;
}

export function readUnsignedVarint(bytes: Uint8Array, offset: number): Decoded<number> {
  let value = 0;
  let shift = 0;
  let i = offset;
  for (;;) {
    if (i >= bytes.length) throw new VarintError(`varint runs past the end at byte ${offset}`);
    const byte = bytes[i++]!;
    if (shift === 28) {
      // The fifth byte may only carry the top 4 bits of a 32-bit value.
      if (byte > 0x0f) throw new VarintError(`varint longer than 5 bytes at byte ${offset}`);
      value += byte * 2 ** 28;
      return { value: value >>> 0, next: i };
    }
    value |= (byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return { value: value >>> 0, next: i };
    shift += 7;
  }
}

export function readVarint(bytes: Uint8Array, offset: number): Decoded<number> {
  const { value, next } = readUnsignedVarint(bytes, offset);
  return { value: (value >>> 1) ^ -(value & 1), next };
}

export function readVarlong(bytes: Uint8Array, offset: number): Decoded<bigint> {
  let raw = 0n;
  let shift = 0n;
  let i = offset;
  for (;;) {
    if (i >= bytes.length) throw new VarintError(`varlong runs past the end at byte ${offset}`);
    if (shift > 63n) throw new VarintError(`varlong longer than 10 bytes at byte ${offset}`);
    const byte = bytes[i++]!;
    raw |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) break;
    shift += 7n;
  }
  raw = BigInt.asUintN(64, raw);
  return { value: BigInt.asIntN(64, (raw >> 1n) ^ -(raw & 1n)), next: i };
}

export function unsignedVarintSize(value: number): number {
  let v = value >>> 0;
  let size = 1;
  while (v >= 0x80) {
    v >>>= 7;
    size++;
  }
  return size;
}

export function varintSize(value: number): number {
  return unsignedVarintSize(((value << 1) ^ (value >> 31)) >>> 0);
}

export function varlongSize(value: bigint): number {
  let v = BigInt.asUintN(64, (value << 1n) ^ (value >> 63n));
  let size = 1;
  while (v >= 0x80n) {
    v >>= 7n;
    size++;
  }
  return size;
}

/** Writes `value` at `offset` and returns the offset after it. */
export function writeUnsignedVarint(target: Uint8Array, offset: number, value: number): number {
  let v = value >>> 0;
  while (v >= 0x80) {
    target[offset++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  target[offset++] = v;
  return offset;
}

export function writeVarint(target: Uint8Array, offset: number, value: number): number {
  return writeUnsignedVarint(target, offset, ((value << 1) ^ (value >> 31)) >>> 0);
}

export function writeVarlong(target: Uint8Array, offset: number, value: bigint): number {
  let v = BigInt.asUintN(64, (value << 1n) ^ (value >> 63n));
  while (v >= 0x80n) {
    target[offset++] = Number(v & 0x7fn) | 0x80;
    v >>= 7n;
  }
  target[offset++] = Number(v);
  return offset;
}
