/**
 * Kafka's compression codecs by attribute id (the low 3 bits of a batch's attributes):
 * 0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd. Synchronous, pure, no I/O.
 *
 * zstd runs in WebAssembly, which loads asynchronously: call `await initCompression()` once
 * at startup (it is idempotent). Until then zstd throws a `CompressionError` of kind
 * `NOT_INITIALIZED`; the other codecs need no initialisation.
 *
 * Every failure is a `CompressionError` with a `kind`: `CORRUPT` for bytes the codec cannot
 * decode, `TOO_LARGE` past `maxOutputBytes`, `UNSUPPORTED` for ids 5–7.
 */
import { gunzipSync, gzipSync, constants as zlibConstants } from 'node:zlib';
import { CompressionError } from './errors';
import { decompressLz4, compressLz4 } from './lz4';
import { CompressionType } from './recordBatchHeader';
import { compressSnappy, decompressSnappy, type SnappyFormat } from './snappy';
import { compressZstd, decompressZstd, initZstd, isZstdReady } from './zstd';

export type { SnappyFormat } from './snappy';

/** Default cap on decompressed size: larger than any batch a sane `max.message.bytes` allows. */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 1 << 30;

export const COMPRESSION_NAMES: Record<CompressionType, string> = {
  [CompressionType.None]: 'none',
  [CompressionType.Gzip]: 'gzip',
  [CompressionType.Snappy]: 'snappy',
  [CompressionType.Lz4]: 'lz4',
  [CompressionType.Zstd]: 'zstd',
};

export interface CompressOptions {
  /** gzip: 1–9 (default 6, zlib's); zstd: 1–22 (default 3). Ignored by snappy and lz4. */
  level?: number;
  /** Snappy framing. Default `'xerial'`, as the Java client writes; librdkafka writes `'raw'`. */
  snappyFormat?: SnappyFormat;
}

export interface DecompressOptions {
  /** Refuse to produce more than this many bytes (default 1 GiB). */
  maxOutputBytes?: number;
  /** LZ4 only: skip the frame descriptor checksum, which magic 0 messages get wrong. */
  ignoreLz4HeaderChecksum?: boolean;
}

/** Loads what the codecs need before first use (today: zstd's WebAssembly module). */
export function initCompression(): Promise<void> {
  return initZstd();
}

/** True once `initCompression()` has finished, so every codec can run synchronously. */
export function isCompressionReady(): boolean {
  return isZstdReady();
}

function unsupported(codec: number): CompressionError {
  return new CompressionError(`codec ${codec}`, 'UNSUPPORTED', 'no such compression codec');
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

export function compress(
  codec: CompressionType,
  data: Uint8Array,
  options: CompressOptions = {},
): Buffer {
  switch (codec) {
    case CompressionType.None:
      return asBuffer(data);
    case CompressionType.Gzip:
      return gzipSync(data, { level: options.level ?? zlibConstants.Z_DEFAULT_COMPRESSION });
    case CompressionType.Snappy:
      return compressSnappy(data, options.snappyFormat ?? 'xerial');
    case CompressionType.Lz4:
      return compressLz4(data);
    case CompressionType.Zstd:
      return compressZstd(data, options.level);
    default:
      throw unsupported(codec);
  }
}

export function decompress(
  codec: CompressionType,
  data: Uint8Array,
  options: DecompressOptions = {},
): Buffer {
  const maxOutputBytes = options.maxOutputBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
  switch (codec) {
    case CompressionType.None:
      return asBuffer(data);
    case CompressionType.Gzip:
      return gunzip(data, maxOutputBytes);
    case CompressionType.Snappy:
      return decompressSnappy(data, maxOutputBytes);
    case CompressionType.Lz4:
      return decompressLz4(data, {
        maxOutputBytes,
        ignoreHeaderChecksum: options.ignoreLz4HeaderChecksum ?? false,
      });
    case CompressionType.Zstd:
      return decompressZstd(data, maxOutputBytes);
    default:
      throw unsupported(codec);
  }
}

function gunzip(data: Uint8Array, maxOutputBytes: number): Buffer {
  try {
    return gunzipSync(data, { maxOutputLength: maxOutputBytes });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new CompressionError(
        'gzip',
        'TOO_LARGE',
        `decompressed data exceeds the ${maxOutputBytes}-byte limit`,
        { cause: error },
      );
    }
    throw new CompressionError('gzip', 'CORRUPT', (error as Error).message, { cause: error });
  }
}
