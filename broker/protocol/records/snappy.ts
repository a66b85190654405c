/**
 * Snappy (Kafka compression codec 2) in the two forms Kafka clients write:
 *
 * - raw snappy, the block format with its length preamble
 *   (https://github.com/google/snappy/blob/main/format_description.txt): librdkafka, kafkajs
 *   with kafkajs-snappy, franz-go, Sarama;
 * - xerial-framed snappy, snappy-java's SnappyOutputStream, which the Java client writes: the
 *   header `\x82SNAPPY\0`, int32 BE version (1), int32 BE compatible version (1), then
 *   `[int32 BE length][raw snappy chunk]…`, each chunk holding at most 32 KiB of input.
 *
 * Decompression detects the xerial header, as snappy-java and librdkafka do. Our own decoder
 * checks every offset and length (snappyjs's does not check the output size), and copies
 * with `set`/`copyWithin` where it can. Compression uses snappyjs.
 */
import { compress as snappyjsCompress } from 'snappyjs';
import { CompressionError } from './errors';

const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_SIZE = 16;
/** snappy-java's default block size (SnappyOutputStream.DEFAULT_BLOCK_SIZE). */
const XERIAL_BLOCK_SIZE = 32 * 1024;

export type SnappyFormat = 'raw' | 'xerial';

function corrupt(message: string): CompressionError {
  return new CompressionError('snappy', 'CORRUPT', message);
}

function tooLarge(maxOutputBytes: number): CompressionError {
  return new CompressionError(
    'snappy',
    'TOO_LARGE',
    `decompressed data exceeds the ${maxOutputBytes}-byte limit`,
  );
}

export function isXerialFramed(src: Uint8Array): boolean {
  if (src.length < XERIAL_HEADER_SIZE) return false;
  for (let i = 0; i < XERIAL_MAGIC.length; i++) if (src[i] !== XERIAL_MAGIC[i]) return false;
  return true;
}

/** Reads the preamble: the uncompressed length, an unsigned varint of at most 32 bits. */
function readPreamble(
  src: Uint8Array,
  start: number,
  end: number,
): { length: number; next: number } {
  // Small integers throughout: a double here would spread into the decoder's hot loop.
  let length = 0;
  for (let i = 0, p = start; i < 5; i++, p++) {
    if (p >= end) throw corrupt(`length preamble runs past the end at byte ${start}`);
    const byte = src[p]!;
    if (i === 4 && byte > 0x0f) break;
    length |= (byte & 0x7f) << (7 * i);
    if ((byte & 0x80) === 0) return { length: length >>> 0, next: p + 1 };
  }
  throw corrupt(`invalid length preamble at byte ${start}`);
}

/**
 * Decodes the raw snappy stream `src[start, end)` into `dst` from `out`, which must have room
 * for exactly the length in its preamble. Returns the end of the output.
 */
function decodeRaw(
  src: Uint8Array,
  start: number,
  end: number,
  dst: Uint8Array,
  out: number,
): number {
  const { length, next } = readPreamble(src, start, end);
  const outStart = out;
  const outEnd = out + length;
  if (outEnd > dst.length) throw corrupt('declared length exceeds the space for it');
  let s = next;
  while (s < end) {
    const tag = src[s++]!;
    const type = tag & 3;
    if (type === 0) {
      let literalLength = tag >>> 2;
      if (literalLength >= 60) {
        const bytes = literalLength - 59;
        if (s + bytes > end) throw corrupt(`literal length runs past the end at byte ${s - 1}`);
        literalLength = src[s]!;
        if (bytes > 1) literalLength |= src[s + 1]! << 8;
        if (bytes > 2) literalLength |= src[s + 2]! << 16;
        if (bytes > 3) literalLength = (literalLength | (src[s + 3]! << 24)) >>> 0;
        s += bytes;
      }
      literalLength += 1;
      if (s + literalLength > end) throw corrupt(`literal runs past the end at byte ${s}`);
      if (out + literalLength > outEnd)
        throw corrupt(`output passes its declared length at byte ${s}`);
      if (literalLength <= 64) {
        for (let i = 0; i < literalLength; i++) dst[out + i] = src[s + i]!;
      } else {
        dst.set(src.subarray(s, s + literalLength), out);
      }
      s += literalLength;
      out += literalLength;
      continue;
    }
    let copyLength: number;
    let offset: number;
    if (type === 1) {
      if (s + 1 > end) throw corrupt(`copy runs past the end at byte ${s - 1}`);
      copyLength = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | src[s]!;
      s += 1;
    } else if (type === 2) {
      if (s + 2 > end) throw corrupt(`copy runs past the end at byte ${s - 1}`);
      copyLength = (tag >>> 2) + 1;
      offset = src[s]! | (src[s + 1]! << 8);
      s += 2;
    } else {
      if (s + 4 > end) throw corrupt(`copy runs past the end at byte ${s - 1}`);
      copyLength = (tag >>> 2) + 1;
      offset = (src[s]! | (src[s + 1]! << 8) | (src[s + 2]! << 16) | (src[s + 3]! << 24)) >>> 0;
      s += 4;
    }
    if (offset === 0 || offset > out - outStart) {
      throw corrupt(`copy offset ${offset} points before the start of the data at byte ${s}`);
    }
    if (out + copyLength > outEnd) throw corrupt(`output passes its declared length at byte ${s}`);
    let from = out - offset;
    if (offset >= copyLength && copyLength >= 32) {
      dst.copyWithin(out, from, from + copyLength);
      out += copyLength;
    } else {
      const stop = out + copyLength;
      while (out < stop) dst[out++] = dst[from++]!;
    }
  }
  if (out !== outEnd) {
    throw corrupt(`stream ends after ${out - outStart} of its ${length} declared bytes`);
  }
  return out;
}

/** Decompresses raw or xerial-framed snappy (detected by the xerial header). */
export function decompressSnappy(src: Uint8Array, maxOutputBytes: number): Buffer {
  if (!isXerialFramed(src)) {
    const { length } = readPreamble(src, 0, src.length);
    if (length > maxOutputBytes) throw tooLarge(maxOutputBytes);
    const dst = Buffer.allocUnsafe(length);
    decodeRaw(src, 0, src.length, dst, 0);
    return dst;
  }
  // Xerial: walk the chunks once for the total size, then decode each into place.
  let total = 0;
  for (let p = XERIAL_HEADER_SIZE; p < src.length;) {
    if (p + 4 > src.length) throw corrupt(`truncated chunk length at byte ${p}`);
    const chunkLength = (src[p]! << 24) | (src[p + 1]! << 16) | (src[p + 2]! << 8) | src[p + 3]!;
    if (chunkLength < 0 || p + 4 + chunkLength > src.length) {
      throw corrupt(`chunk of ${chunkLength} bytes at byte ${p} runs past the end`);
    }
    total += readPreamble(src, p + 4, p + 4 + chunkLength).length;
    if (total > maxOutputBytes) throw tooLarge(maxOutputBytes);
    p += 4 + chunkLength;
  }
  const dst = Buffer.allocUnsafe(total);
  let out = 0;
  for (let p = XERIAL_HEADER_SIZE; p < src.length;) {
    const chunkLength = (src[p]! << 24) | (src[p + 1]! << 16) | (src[p + 2]! << 8) | src[p + 3]!;
    out = decodeRaw(src, p + 4, p + 4 + chunkLength, dst, out);
    p += 4 + chunkLength;
  }
  return dst;
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** Compresses `src` as raw snappy (as librdkafka) or xerial-framed (as the Java client). */
export function compressSnappy(src: Uint8Array, format: SnappyFormat): Buffer {
  if (format === 'raw') return snappyjsCompress(toBuffer(src));
  const chunks: Buffer[] = [Buffer.concat([XERIAL_MAGIC, Buffer.from([0, 0, 0, 1, 0, 0, 0, 1])])];
  for (let start = 0; start < src.length; start += XERIAL_BLOCK_SIZE) {
    const chunk = snappyjsCompress(toBuffer(src.subarray(start, start + XERIAL_BLOCK_SIZE)));
    const length = Buffer.allocUnsafe(4);
    length.writeInt32BE(chunk.length);
    chunks.push(length, chunk);
  }
  return Buffer.concat(chunks);
}
