/**
 * Zstandard (Kafka compression codec 4) through @bokuweb/zstd-wasm: the reference C library
 * compiled to WebAssembly, so nothing is compiled or downloaded at install. Its WASM module
 * loads asynchronously, once: `await initZstd()` (re-exported as `initCompression()`) before
 * the first zstd call.
 *
 * Its one-shot decompress needs an output size up front. Producers rarely declare one: the
 * Java client's ZstdOutputStream and librdkafka's streaming compressor leave the frame content
 * size out. So this module walks the frame headers and block headers first (RFC 8878), which
 * gives either the declared size or a tight upper bound (a block decodes to at most its
 * Block_Maximum_Size), checks the frame's structure on the way, and decodes concatenated
 * frames one by one.
 */
import { compress as wasmCompress, decompress as wasmDecompress, init } from '@bokuweb/zstd-wasm';
import { CompressionError } from './errors';

const FRAME_MAGIC = 0xfd2fb528;
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
const MAX_BLOCK_SIZE = 128 * 1024;
export const ZSTD_DEFAULT_LEVEL = 3;

let ready: Promise<void> | undefined;
let initialized = false;

/** Loads the zstd WebAssembly module. Idempotent; safe to call concurrently. */
export function initZstd(): Promise<void> {
  ready ??= init().then(() => {
    initialized = true;
  });
  return ready;
}

export function isZstdReady(): boolean {
  return initialized;
}

function ensureReady(): void {
  if (!initialized) {
    throw new CompressionError(
      'zstd',
      'NOT_INITIALIZED',
      'the zstd module is not loaded; call `await initCompression()` once at startup',
    );
  }
}

function corrupt(message: string, cause?: unknown): CompressionError {
  return new CompressionError('zstd', 'CORRUPT', message, { cause });
}

function readU32LE(bytes: Uint8Array, i: number): number {
  return (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)) >>> 0;
}

interface FrameInfo {
  start: number;
  end: number;
  /** The declared content size, or -1. */
  contentSize: number;
  /** An upper bound of the decompressed size from the block headers. */
  bound: number;
}

/** Walks the frames and their block headers without decoding anything. */
function scanFrames(src: Uint8Array): FrameInfo[] {
  const frames: FrameInfo[] = [];
  let pos = 0;
  while (pos < src.length) {
    if (pos + 4 > src.length) throw corrupt(`truncated frame magic at byte ${pos}`);
    const magic = readU32LE(src, pos);
    if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      if (pos + 8 > src.length) throw corrupt(`truncated skippable frame at byte ${pos}`);
      pos += 8 + readU32LE(src, pos + 4);
      continue;
    }
    if (magic !== FRAME_MAGIC)
      throw corrupt(`bad frame magic 0x${magic.toString(16)} at byte ${pos}`);
    const start = pos;
    if (pos + 5 > src.length) throw corrupt(`truncated frame header at byte ${pos}`);
    const descriptor = src[pos + 4]!;
    if ((descriptor & 0x08) !== 0)
      throw corrupt(`reserved frame header bit set at byte ${pos + 4}`);
    const fcsFlag = descriptor >> 6;
    const singleSegment = (descriptor & 0x20) !== 0;
    const hasChecksum = (descriptor & 0x04) !== 0;
    const dictIdSize = [0, 1, 2, 4][descriptor & 3]!;
    const fcsSize = fcsFlag === 0 ? (singleSegment ? 1 : 0) : [0, 2, 4, 8][fcsFlag]!;
    let p = pos + 5;
    let windowSize = 0;
    if (!singleSegment) {
      if (p >= src.length) throw corrupt(`truncated frame header at byte ${pos}`);
      const windowDescriptor = src[p++]!;
      const windowBase = 2 ** (10 + (windowDescriptor >> 3));
      windowSize = windowBase + (windowBase / 8) * (windowDescriptor & 7);
    }
    p += dictIdSize;
    let contentSize = -1;
    if (fcsSize > 0) {
      if (p + fcsSize > src.length) throw corrupt(`truncated frame header at byte ${pos}`);
      if (fcsSize === 1) contentSize = src[p]!;
      else if (fcsSize === 2) contentSize = (src[p]! | (src[p + 1]! << 8)) + 256;
      else if (fcsSize === 4) contentSize = readU32LE(src, p);
      else contentSize = readU32LE(src, p) + readU32LE(src, p + 4) * 2 ** 32;
      p += fcsSize;
    }
    if (singleSegment) windowSize = contentSize;
    const blockMaximum = Math.min(windowSize, MAX_BLOCK_SIZE);
    let bound = 0;
    for (;;) {
      if (p + 3 > src.length) throw corrupt(`truncated block header at byte ${p}`);
      const header = src[p]! | (src[p + 1]! << 8) | (src[p + 2]! << 16);
      p += 3;
      const last = (header & 1) !== 0;
      const type = (header >> 1) & 3;
      const size = header >>> 3;
      if (type === 3) throw corrupt(`reserved block type at byte ${p - 3}`);
      if (type === 0) {
        bound += size; // raw
        p += size;
      } else if (type === 1) {
        bound += size; // RLE: one byte, repeated `size` times
        p += 1;
      } else {
        if (size > blockMaximum)
          throw corrupt(`compressed block over its maximum at byte ${p - 3}`);
        bound += blockMaximum;
        p += size;
      }
      if (last) break;
    }
    if (hasChecksum) p += 4;
    if (p > src.length) throw corrupt(`frame starting at byte ${start} runs past the end`);
    if (contentSize > bound) {
      throw corrupt(`frame at byte ${start} declares ${contentSize} bytes, its blocks hold fewer`);
    }
    frames.push({ start, end: p, contentSize, bound });
    pos = p;
  }
  return frames;
}

function tooLarge(maxOutputBytes: number, cause?: unknown): CompressionError {
  return new CompressionError(
    'zstd',
    'TOO_LARGE',
    `decompressed data exceeds the ${maxOutputBytes}-byte limit`,
    { cause },
  );
}

/** Decompresses one or more concatenated zstd frames. */
export function decompressZstd(src: Uint8Array, maxOutputBytes: number): Buffer {
  ensureReady();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (const frame of scanFrames(src)) {
    const room = maxOutputBytes - size;
    if (frame.contentSize > room) throw tooLarge(maxOutputBytes);
    const expected = frame.contentSize >= 0 ? frame.contentSize : frame.bound;
    const capacity = Math.max(1, Math.min(expected, room));
    let part: Uint8Array;
    try {
      part = wasmDecompress(src.subarray(frame.start, frame.end), { defaultHeapSize: capacity });
    } catch (error) {
      if (capacity < expected) throw tooLarge(maxOutputBytes, error);
      throw corrupt(`the frame at byte ${frame.start} does not decode`, error);
    }
    if (frame.contentSize >= 0 && part.length !== frame.contentSize) {
      throw corrupt(`the frame at byte ${frame.start} decodes to fewer bytes than it declares`);
    }
    parts.push(part);
    size += part.length;
  }
  if (parts.length === 1) {
    const only = parts[0]!;
    return Buffer.from(only.buffer, only.byteOffset, only.length);
  }
  return Buffer.concat(parts, size);
}

export function compressZstd(src: Uint8Array, level = ZSTD_DEFAULT_LEVEL): Buffer {
  ensureReady();
  const out = wasmCompress(src, level);
  return Buffer.from(out.buffer, out.byteOffset, out.length);
}
