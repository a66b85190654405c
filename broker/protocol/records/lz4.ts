/**
 * LZ4 frame format (Kafka compression codec 3), per
 * https://github.com/lz4/lz4/blob/dev/doc/lz4_Frame_format.md.
 *
 * Decoding is our own, because the frames come from every client there is: Java's
 * Lz4BlockOutputStream (64 KiB independent blocks, no checksums), librdkafka's LZ4F (content
 * size and content checksum optional), lz4js (4 MiB linked blocks), the lz4 CLI (any of these
 * plus block checksums). It checks every bound and every checksum the frame declares, so a
 * corrupt payload is an error rather than garbage; lz4js's decoder does neither.
 *
 * Encoding uses lz4js's block compressor and writes what Kafka's Java client writes: version
 * 01, independent blocks, 64 KiB maximum block size, no checksums. Independent blocks matter:
 * the Java consumer decompresses each block into its own buffer and cannot follow a match into
 * the previous block.
 */
import { compressBlock } from 'lz4js';
import { CompressionError } from './errors';
import { xxhash32 } from './xxhash32';

const FRAME_MAGIC = 0x184d2204;
/** Skippable frames: magic 0x184D2A50 to 0x184D2A5F. */
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
const UNCOMPRESSED_BIT = 0x80000000;
const MIN_MATCH = 4;
const BLOCK_MAX_SIZES: Record<number, number> = {
  4: 65_536,
  5: 262_144,
  6: 1_048_576,
  7: 4_194_304,
};

const ENCODE_BLOCK_SIZE = 65_536;
const ENCODE_FLG = 0x60; // version 01, block independence
const ENCODE_BD = 4 << 4; // 64 KiB blocks

export interface Lz4DecompressOptions {
  /** Refuse to produce more than this many bytes. */
  maxOutputBytes: number;
  /**
   * Skip the frame descriptor checksum. Kafka's magic 0 messages carry a wrong one (KAFKA-3160:
   * the first clients hashed the magic number too); Kafka itself skips it for magic 0.
   */
  ignoreHeaderChecksum?: boolean;
}

function corrupt(message: string): CompressionError {
  return new CompressionError('lz4', 'CORRUPT', message);
}

function readU32LE(bytes: Uint8Array, i: number): number {
  return (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)) >>> 0;
}

function writeU32LE(bytes: Uint8Array, i: number, value: number): void {
  bytes[i] = value & 0xff;
  bytes[i + 1] = (value >>> 8) & 0xff;
  bytes[i + 2] = (value >>> 16) & 0xff;
  bytes[i + 3] = (value >>> 24) & 0xff;
}

/**
 * Decodes one LZ4 block `src[start, end)` into `dst` at `out`, returning the new end of the
 * output. Matches may reach back to `windowStart` (the block start for independent blocks,
 * the frame start for linked ones) and the output may not pass `outLimit`.
 */
function decodeBlock(
  src: Uint8Array,
  start: number,
  end: number,
  dst: Uint8Array,
  out: number,
  windowStart: number,
  outLimit: number,
): number {
  let s = start;
  for (;;) {
    if (s >= end) throw corrupt(`block ends inside a sequence at byte ${s}`);
    const token = src[s++]!;
    let literalLength = token >>> 4;
    if (literalLength === 15) {
      let extra: number;
      do {
        if (s >= end) throw corrupt(`literal length runs past the block at byte ${s}`);
        extra = src[s++]!;
        literalLength += extra;
      } while (extra === 255);
    }
    if (literalLength > 0) {
      if (s + literalLength > end) throw corrupt(`literals run past the block at byte ${s}`);
      if (out + literalLength > outLimit) throw new OutputOverflow();
      if (literalLength < 16) {
        for (let i = 0; i < literalLength; i++) dst[out + i] = src[s + i]!;
      } else {
        dst.set(src.subarray(s, s + literalLength), out);
      }
      s += literalLength;
      out += literalLength;
    }
    if (s === end) return out; // the last sequence has literals only
    if (s + 2 > end) throw corrupt(`match offset runs past the block at byte ${s}`);
    const offset = src[s]! | (src[s + 1]! << 8);
    s += 2;
    if (offset === 0 || offset > out - windowStart) {
      throw corrupt(`match offset ${offset} points before the start of the data at byte ${s - 2}`);
    }
    let matchLength = token & 15;
    if (matchLength === 15) {
      let extra: number;
      do {
        if (s >= end) throw corrupt(`match length runs past the block at byte ${s}`);
        extra = src[s++]!;
        matchLength += extra;
      } while (extra === 255);
    }
    matchLength += MIN_MATCH;
    if (out + matchLength > outLimit) throw new OutputOverflow();
    let from = out - offset;
    if (offset >= matchLength && matchLength >= 32) {
      dst.copyWithin(out, from, from + matchLength);
      out += matchLength;
    } else {
      // Overlapping copies repeat the last `offset` bytes: copy forward one byte at a time.
      const stop = out + matchLength;
      while (out < stop) dst[out++] = dst[from++]!;
    }
  }
}

/** Thrown by `decodeBlock` when the output would pass its limit; the caller names the cause. */
class OutputOverflow extends Error {}

/** Reused output buffer for frames that do not declare their size; grown on demand. */
let scratch = new Uint8Array(0);
const SCRATCH_KEEP_BYTES = 16 << 20;

function frameError(position: number, message: string): CompressionError {
  return corrupt(`${message} (frame byte ${position})`);
}

/**
 * Walks the frame(s) once to find where each starts and how large the output can be, so the
 * decoder can allocate once. Returns an upper bound of the decompressed size.
 */
function outputBound(src: Uint8Array): number {
  let pos = 0;
  let bound = 0;
  while (pos < src.length) {
    if (pos + 4 > src.length) throw frameError(pos, 'truncated frame magic');
    const magic = readU32LE(src, pos);
    if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      if (pos + 8 > src.length) throw frameError(pos, 'truncated skippable frame');
      pos += 8 + readU32LE(src, pos + 4);
      continue;
    }
    if (magic !== FRAME_MAGIC) throw frameError(pos, `bad magic 0x${magic.toString(16)}`);
    if (pos + 7 > src.length) throw frameError(pos, 'truncated frame descriptor');
    const flg = src[pos + 4]!;
    const bd = src[pos + 5]!;
    const maxBlock = BLOCK_MAX_SIZES[(bd >> 4) & 7];
    if (maxBlock === undefined) throw frameError(pos + 5, `invalid block maximum size ${bd}`);
    const hasBlockChecksum = (flg & 0x10) !== 0;
    let p = pos + 6 + ((flg & 0x08) !== 0 ? 8 : 0) + ((flg & 0x01) !== 0 ? 4 : 0) + 1;
    for (;;) {
      if (p + 4 > src.length) throw frameError(p, 'truncated block header');
      const word = readU32LE(src, p);
      p += 4;
      if (word === 0) break;
      const size = (word & ~UNCOMPRESSED_BIT) >>> 0;
      if (size > maxBlock)
        throw frameError(p - 4, `block of ${size} bytes over the ${maxBlock} maximum`);
      // A compressed block decodes to at most the maximum block size, and a byte of LZ4 input
      // yields at most 255 bytes of output, whichever is smaller.
      bound += (word & UNCOMPRESSED_BIT) !== 0 ? size : Math.min(maxBlock, size * 255);
      p += size + (hasBlockChecksum ? 4 : 0);
    }
    pos = p + ((flg & 0x04) !== 0 ? 4 : 0);
  }
  if (pos > src.length) throw frameError(src.length, 'truncated frame');
  return bound;
}

/** Decompresses one or more concatenated LZ4 frames. */
export function decompressLz4(src: Uint8Array, options: Lz4DecompressOptions): Buffer {
  const { maxOutputBytes } = options;
  const limit = Math.min(outputBound(src), maxOutputBytes);
  const dst = scratch.length >= limit ? scratch : new Uint8Array(limit);
  if (dst !== scratch && limit <= SCRATCH_KEEP_BYTES) scratch = dst;

  let pos = 0;
  let out = 0;
  while (pos < src.length) {
    const magic = readU32LE(src, pos);
    if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      pos += 8 + readU32LE(src, pos + 4);
      continue;
    }
    const frameStart = pos;
    const frameOut = out;
    const flg = src[pos + 4]!;
    const bd = src[pos + 5]!;
    if (flg >> 6 !== 1) throw frameError(pos + 4, `unsupported frame version ${flg >> 6}`);
    if ((flg & 0x02) !== 0 || (bd & 0x8f) !== 0) {
      throw frameError(pos + 4, 'reserved descriptor bits are set');
    }
    if ((flg & 0x01) !== 0) {
      throw frameError(pos + 4, 'frames that need a dictionary are not supported');
    }
    const independent = (flg & 0x20) !== 0;
    const hasBlockChecksum = (flg & 0x10) !== 0;
    const hasContentSize = (flg & 0x08) !== 0;
    const hasContentChecksum = (flg & 0x04) !== 0;
    const maxBlock = BLOCK_MAX_SIZES[(bd >> 4) & 7]!;
    let p = pos + 6;
    let contentSize = -1;
    if (hasContentSize) {
      contentSize = readU32LE(src, p) + readU32LE(src, p + 4) * 2 ** 32;
      if (out + contentSize > maxOutputBytes) throw tooLarge(maxOutputBytes);
      p += 8;
    }
    if (!options.ignoreHeaderChecksum && ((xxhash32(src, pos + 4, p) >>> 8) & 0xff) !== src[p]) {
      throw frameError(p, 'frame descriptor checksum mismatch');
    }
    p += 1;
    for (;;) {
      const word = readU32LE(src, p);
      p += 4;
      if (word === 0) break;
      const size = (word & ~UNCOMPRESSED_BIT) >>> 0;
      const blockEnd = p + size;
      if (hasBlockChecksum && xxhash32(src, p, blockEnd) !== readU32LE(src, blockEnd)) {
        throw frameError(blockEnd, 'block checksum mismatch');
      }
      if ((word & UNCOMPRESSED_BIT) !== 0) {
        if (out + size > limit) throw tooLarge(maxOutputBytes);
        dst.set(src.subarray(p, blockEnd), out);
        out += size;
      } else {
        const blockLimit = Math.min(limit, out + maxBlock);
        try {
          out = decodeBlock(src, p, blockEnd, dst, out, independent ? out : frameOut, blockLimit);
        } catch (error) {
          if (!(error instanceof OutputOverflow)) throw error;
          if (blockLimit === maxOutputBytes) throw tooLarge(maxOutputBytes);
          throw frameError(p, `block decodes to more than the ${maxBlock}-byte maximum`);
        }
      }
      p = blockEnd + (hasBlockChecksum ? 4 : 0);
    }
    if (contentSize >= 0 && out - frameOut !== contentSize) {
      throw frameError(
        frameStart + 6,
        `content size says ${contentSize} bytes but the blocks hold ${out - frameOut}`,
      );
    }
    if (hasContentChecksum) {
      if (xxhash32(dst, frameOut, out) !== readU32LE(src, p)) {
        throw frameError(p, 'content checksum mismatch');
      }
      p += 4;
    }
    pos = p;
  }
  // The scratch buffer is reused, so its bytes are copied out; a fresh one is handed over.
  return dst === scratch ? Buffer.from(dst.subarray(0, out)) : Buffer.from(dst.buffer, 0, out);
}

function tooLarge(maxOutputBytes: number): CompressionError {
  return new CompressionError(
    'lz4',
    'TOO_LARGE',
    `decompressed data exceeds the ${maxOutputBytes}-byte limit`,
  );
}

const hashTable = new Uint32Array(65_536);
const blockBuffer = new Uint8Array(ENCODE_BLOCK_SIZE + (ENCODE_BLOCK_SIZE >> 7) + 64);

/** Compresses `src` as one LZ4 frame the way Kafka's Java client does (see the module doc). */
export function compressLz4(src: Uint8Array): Buffer {
  const blocks = Math.max(1, Math.ceil(src.length / ENCODE_BLOCK_SIZE));
  const out = Buffer.allocUnsafe(7 + src.length + blocks * 4 + 4);
  writeU32LE(out, 0, FRAME_MAGIC);
  out[4] = ENCODE_FLG;
  out[5] = ENCODE_BD;
  out[6] = (xxhash32(out, 4, 6) >>> 8) & 0xff;
  let o = 7;
  for (let start = 0; start < src.length; start += ENCODE_BLOCK_SIZE) {
    const length = Math.min(ENCODE_BLOCK_SIZE, src.length - start);
    hashTable.fill(0);
    const compressed = compressBlock(src, blockBuffer, start, length, hashTable);
    if (compressed > 0 && compressed < length) {
      writeU32LE(out, o, compressed);
      out.set(blockBuffer.subarray(0, compressed), o + 4);
      o += 4 + compressed;
    } else {
      writeU32LE(out, o, (UNCOMPRESSED_BIT | length) >>> 0);
      out.set(src.subarray(start, start + length), o + 4);
      o += 4 + length;
    }
  }
  writeU32LE(out, o, 0);
  o += 4;
  return out.subarray(0, o);
}
