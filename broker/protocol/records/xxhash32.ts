/**
 * xxHash32, the checksum of the LZ4 frame format (header, block and content checksums).
 * Spec: https://github.com/Cyan4973/xxHash/blob/dev/doc/xxhash_spec.md
 */
const PRIME1 = 0x9e3779b1;
const PRIME2 = 0x85ebca77;
const PRIME3 = 0xc2b2ae3d;
const PRIME4 = 0x27d4eb2f;
const PRIME5 = 0x165667b1;

function readU32LE(bytes: Uint8Array, i: number): number {
  return bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
}

function round(acc: number, lane: number): number {
  acc = (acc + Math.imul(lane, PRIME2)) | 0;
  acc = (acc << 13) | (acc >>> 19);
  return Math.imul(acc, PRIME1);
}

/** xxHash32 of `bytes[start, end)` with `seed`, as an unsigned 32-bit integer. */
export function xxhash32(bytes: Uint8Array, start = 0, end = bytes.length, seed = 0): number {
  const length = end - start;
  let i = start;
  let h: number;
  if (length >= 16) {
    let v1 = (seed + PRIME1 + PRIME2) | 0;
    let v2 = (seed + PRIME2) | 0;
    let v3 = seed | 0;
    let v4 = (seed - PRIME1) | 0;
    const limit = end - 16;
    for (; i <= limit; i += 16) {
      v1 = round(v1, readU32LE(bytes, i));
      v2 = round(v2, readU32LE(bytes, i + 4));
      v3 = round(v3, readU32LE(bytes, i + 8));
      v4 = round(v4, readU32LE(bytes, i + 12));
    }
    h =
      ((v1 << 1) | (v1 >>> 31)) +
      ((v2 << 7) | (v2 >>> 25)) +
      ((v3 << 12) | (v3 >>> 20)) +
      ((v4 << 18) | (v4 >>> 14));
  } else {
    h = seed + PRIME5;
  }
  h = (h + length) | 0;
  for (; i + 4 <= end; i += 4) {
    h = (h + Math.imul(readU32LE(bytes, i), PRIME3)) | 0;
    h = Math.imul((h << 17) | (h >>> 15), PRIME4);
  }
  for (; i < end; i++) {
    h = (h + Math.imul(bytes[i]!, PRIME5)) | 0;
    h = Math.imul((h << 11) | (h >>> 21), PRIME1);
  }
  h ^= h >>> 15;
  h = Math.imul(h, PRIME2);
  h ^= h >>> 13;
  h = Math.imul(h, PRIME3);
  h ^= h >>> 16;
  return h >>> 0;
}
