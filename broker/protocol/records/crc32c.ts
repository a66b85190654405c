/**
 * CRC-32C (Castagnoli), the checksum of Kafka record batches (magic 2).
 * Slicing-by-8: about 8× faster than the byte-at-a-time loop on large batches. The eight
 * 256-entry tables live in one array (table t at t × 256), which V8 indexes faster than
 * eight separate arrays (about +25% measured on Node 20). Inputs of 512 bytes and more go
 * through the same loop in WebAssembly (crc32cWasm.ts), about twice as fast again.
 */
import { crc32cUpdateWasm } from './crc32cWasm';

const POLY = 0x82f63b78;
const TABLE = new Uint32Array(8 * 256);

for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
  TABLE[n] = c >>> 0;
}
for (let n = 0; n < 256; n++) {
  for (let t = 1; t < 8; t++) {
    const prev = TABLE[(t - 1) * 256 + n]!;
    TABLE[t * 256 + n] = (TABLE[prev & 0xff]! ^ (prev >>> 8)) >>> 0;
  }
}

/** Below this many bytes the JavaScript loop wins (no copy into WebAssembly memory). */
const WASM_THRESHOLD = 512;

/** CRC-32C of `bytes[start, end)`, as an unsigned 32-bit integer. */
export function crc32c(bytes: Uint8Array, start = 0, end = bytes.length): number {
  if (end - start >= WASM_THRESHOLD) {
    const crc = crc32cUpdateWasm(TABLE, 0xffffffff, bytes, start, end);
    if (crc !== null) return (crc ^ 0xffffffff) >>> 0;
  }
  return crc32cJs(bytes, start, end);
}

/** The same in JavaScript: for short inputs, hosts without WebAssembly, and as an oracle. */
export function crc32cJs(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const T = TABLE;
  let crc = 0xffffffff;
  let i = start;
  for (; i + 8 <= end; i += 8) {
    crc ^= bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    crc =
      T[1792 + (crc & 0xff)]! ^
      T[1536 + ((crc >>> 8) & 0xff)]! ^
      T[1280 + ((crc >>> 16) & 0xff)]! ^
      T[1024 + (crc >>> 24)]! ^
      T[768 + bytes[i + 4]!]! ^
      T[512 + bytes[i + 5]!]! ^
      T[256 + bytes[i + 6]!]! ^
      T[bytes[i + 7]!]!;
  }
  for (; i < end; i++) crc = T[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
