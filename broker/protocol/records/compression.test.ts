import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as lz4js from 'lz4js';
import * as snappyjs from 'snappyjs';
import { gzipSync } from 'node:zlib';
import { compress, decompress, initCompression } from './compression';
import { CompressionError } from './errors';
import { CompressionType } from './recordBatchHeader';
import * as reference from './fixtures/referenceCompressed';

const TEXT = reference.fixtureText();
const NOISE = reference.fixtureNoise();
const fromBase64 = (text: string) => Buffer.from(text, 'base64');

const ALL_CODECS = [
  CompressionType.None,
  CompressionType.Gzip,
  CompressionType.Snappy,
  CompressionType.Lz4,
  CompressionType.Zstd,
] as const;

function compressionErrorOf(run: () => unknown): CompressionError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CompressionError);
    return error as CompressionError;
  }
  throw new Error('expected a CompressionError, nothing was thrown');
}

beforeAll(async () => {
  await initCompression();
});

describe('compress → decompress', () => {
  it('round-trips arbitrary bytes through every codec', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ALL_CODECS),
        fc.oneof(
          fc.uint8Array({ maxLength: 2000 }),
          // Repetitive input exercises matches and long runs.
          fc
            .tuple(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.nat(5000))
            .map(([unit, n]) => Buffer.alloc(n, Buffer.from(unit))),
        ),
        (codec, input) => {
          const packed = compress(codec, input);
          expect(decompress(codec, packed).equals(Buffer.from(input))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('round-trips inputs larger than a block (LZ4 64 KiB, xerial 32 KiB, zstd 128 KiB)', () => {
    const big = Buffer.concat([TEXT, NOISE, TEXT, TEXT, NOISE]);
    for (const codec of ALL_CODECS) {
      expect(decompress(codec, compress(codec, big)).equals(big)).toBe(true);
    }
    const raw = compress(CompressionType.Snappy, big, { snappyFormat: 'raw' });
    expect(decompress(CompressionType.Snappy, raw).equals(big)).toBe(true);
  });

  it('writes the layouts Kafka clients write', () => {
    const lz4 = compress(CompressionType.Lz4, TEXT);
    expect(lz4.readUInt32LE(0)).toBe(0x184d2204);
    expect(lz4[4]).toBe(0x60); // version 01, independent blocks, no checksums (Java's FLG)
    expect(lz4[5]).toBe(0x40); // 64 KiB blocks (Java's BD)
    const xerial = compress(CompressionType.Snappy, TEXT);
    expect(xerial.subarray(0, 16).toString('hex')).toBe('82534e41505059000000000100000001');
    const gzip = compress(CompressionType.Gzip, TEXT);
    expect(gzip.subarray(0, 2).toString('hex')).toBe('1f8b');
    const zstd = compress(CompressionType.Zstd, TEXT);
    expect(zstd.readUInt32LE(0)).toBe(0xfd2fb528);
  });
});

describe('lz4 frames from other implementations', () => {
  it.each([
    ['64 KiB independent blocks, no checksums (Java layout)', reference.lz4Cli64kIndependent],
    ['256 KiB blocks with a content checksum (lz4 CLI default)', reference.lz4CliDefault],
    ['linked blocks, block + content checksums, content size', reference.lz4CliLinkedChecksums],
    ['256 KiB blocks, no checksums', reference.lz4Cli256k],
  ])('decodes the lz4 CLI frame with %s', (_, frame) => {
    expect(decompress(CompressionType.Lz4, fromBase64(frame)).equals(TEXT)).toBe(true);
  });

  it('decodes a frame whose block is stored uncompressed', () => {
    const frame = fromBase64(reference.lz4CliNoise);
    expect(decompress(CompressionType.Lz4, frame).equals(NOISE)).toBe(true);
  });

  it('decodes lz4js frames (4 MiB linked blocks, as kafkajs-lz4 writes)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.nat(3), (bytes, copies) => {
        const input = Buffer.concat([Buffer.from(bytes), ...Array(copies).fill(TEXT)]);
        const frame = Buffer.from(lz4js.compress(input));
        expect(decompress(CompressionType.Lz4, frame).equals(input)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('writes frames that lz4js decodes', () => {
    const input = Buffer.concat([TEXT, NOISE]);
    const frame = compress(CompressionType.Lz4, input);
    expect(Buffer.from(lz4js.decompress(frame)).equals(input)).toBe(true);
  });

  it('accepts a wrong descriptor checksum only when told to (magic 0 messages)', () => {
    const frame = Buffer.from(fromBase64(reference.lz4Cli64kIndependent));
    frame[6]! ^= 0xff;
    const error = compressionErrorOf(() => decompress(CompressionType.Lz4, frame));
    expect(error.kind).toBe('CORRUPT');
    expect(error.message).toMatch(/descriptor checksum/);
    const options = { ignoreLz4HeaderChecksum: true };
    expect(decompress(CompressionType.Lz4, frame, options).equals(TEXT)).toBe(true);
  });

  it('reports a block checksum mismatch and a content checksum mismatch', () => {
    const blockSummed = Buffer.from(fromBase64(reference.lz4CliNoise));
    blockSummed[100]! ^= 0x01; // inside the stored block
    expect(compressionErrorOf(() => decompress(CompressionType.Lz4, blockSummed)).message).toMatch(
      /block checksum/,
    );
    const contentSummed = Buffer.from(fromBase64(reference.lz4CliDefault));
    contentSummed[contentSummed.length - 1]! ^= 0x01; // the content checksum itself
    expect(
      compressionErrorOf(() => decompress(CompressionType.Lz4, contentSummed)).message,
    ).toMatch(/content checksum/);
  });
});

describe('snappy', () => {
  it('decodes raw snappy from the C++ library (what librdkafka writes)', () => {
    expect(
      decompress(CompressionType.Snappy, fromBase64(reference.snappyLibRaw)).equals(TEXT),
    ).toBe(true);
    const noise = fromBase64(reference.snappyLibNoise);
    expect(decompress(CompressionType.Snappy, noise).equals(NOISE)).toBe(true);
  });

  it('detects and decodes xerial framing (what the Java client writes)', () => {
    const framed = fromBase64(reference.snappyLibXerial);
    expect(decompress(CompressionType.Snappy, framed).equals(TEXT)).toBe(true);
  });

  it('agrees with snappyjs both ways', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.nat(200), (bytes, repeat) => {
        const input = Buffer.concat([Buffer.from(bytes), Buffer.alloc(repeat, bytes[0] ?? 7)]);
        const theirs = snappyjs.compress(input);
        expect(decompress(CompressionType.Snappy, theirs).equals(input)).toBe(true);
        const ours = compress(CompressionType.Snappy, input, { snappyFormat: 'raw' });
        expect(Buffer.from(snappyjs.uncompress(ours)).equals(input)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});

describe('zstd', () => {
  it.each([
    ['with content size and checksum', reference.zstdCliWithSize],
    [
      'without content size (streamed, as the Java client and librdkafka write)',
      reference.zstdCliWithoutSize,
    ],
    ['at level 19 without checksum', reference.zstdCliLevel19NoChecksum],
  ])('decodes a zstd CLI frame %s', (_, frame) => {
    expect(decompress(CompressionType.Zstd, fromBase64(frame)).equals(TEXT)).toBe(true);
  });

  it('decodes a raw block and concatenated frames', () => {
    expect(decompress(CompressionType.Zstd, fromBase64(reference.zstdCliNoise)).equals(NOISE)).toBe(
      true,
    );
    const twoFrames = Buffer.concat([
      fromBase64(reference.zstdCliWithSize),
      fromBase64(reference.zstdCliWithoutSize),
    ]);
    expect(decompress(CompressionType.Zstd, twoFrames).equals(Buffer.concat([TEXT, TEXT]))).toBe(
      true,
    );
  });

  it('decodes highly compressible data without a declared size', () => {
    // 4 MiB of zeros fit in a few hundred bytes: the output bound comes from the block headers.
    const zeros = Buffer.alloc(4 << 20);
    const frame = compress(CompressionType.Zstd, zeros);
    // The one-shot compressor declares a 4-byte content size (flag 2) after a window
    // descriptor. Drop the size, as a streaming compressor would have written the frame.
    expect(frame[4]! & 0xe3).toBe(0x80);
    const streamed = Buffer.concat([
      frame.subarray(0, 4),
      Buffer.from([frame[4]! & 0x07, frame[5]!]),
      frame.subarray(6 + 4),
    ]);
    expect(streamed.length).toBeLessThan(1000);
    expect(decompress(CompressionType.Zstd, streamed).equals(zeros)).toBe(true);
  });
});

describe('corrupt compressed data', () => {
  it.each([
    ['gzip', CompressionType.Gzip, gzipSync(TEXT)],
    ['snappy (raw)', CompressionType.Snappy, fromBase64(reference.snappyLibRaw)],
    ['snappy (xerial)', CompressionType.Snappy, fromBase64(reference.snappyLibXerial)],
    ['lz4', CompressionType.Lz4, fromBase64(reference.lz4Cli64kIndependent)],
    ['zstd', CompressionType.Zstd, fromBase64(reference.zstdCliWithSize)],
  ])('%s: truncation is a CORRUPT CompressionError', (_, codec, packed) => {
    for (const cut of [1, 5, packed.length >> 1]) {
      const error = compressionErrorOf(() =>
        decompress(codec, packed.subarray(0, packed.length - cut)),
      );
      expect(error.kind).toBe('CORRUPT');
    }
  });

  it.each([
    ['gzip', CompressionType.Gzip, gzipSync(TEXT)],
    ['snappy', CompressionType.Snappy, fromBase64(reference.snappyLibRaw)],
    ['lz4', CompressionType.Lz4, fromBase64(reference.lz4CliLinkedChecksums)],
    ['zstd', CompressionType.Zstd, fromBase64(reference.zstdCliWithSize)],
  ])(
    '%s: random byte flips never crash and never pass silently as other data',
    (_, codec, packed) => {
      fc.assert(
        fc.property(fc.nat(packed.length - 1), fc.integer({ min: 1, max: 255 }), (at, mask) => {
          const damaged = Buffer.from(packed);
          damaged[at]! ^= mask;
          let output: Buffer | undefined;
          try {
            output = decompress(codec, damaged);
          } catch (error) {
            expect(error).toBeInstanceOf(CompressionError);
            return;
          }
          // A flip the format cannot see (snappy has no checksum) still yields well-formed output;
          // the batch CRC-32C is what catches those.
          expect(output).toBeInstanceOf(Buffer);
        }),
        { numRuns: 200 },
      );
    },
  );

  it('garbage is CORRUPT for every codec', () => {
    const garbage = Buffer.from('definitely not compressed data, not even close');
    for (const codec of [
      CompressionType.Gzip,
      CompressionType.Snappy,
      CompressionType.Lz4,
      CompressionType.Zstd,
    ]) {
      expect(compressionErrorOf(() => decompress(codec, garbage)).kind).toBe('CORRUPT');
    }
  });

  it('refuses output past maxOutputBytes with TOO_LARGE', () => {
    const zeros = Buffer.alloc(1 << 20);
    for (const codec of [
      CompressionType.Gzip,
      CompressionType.Snappy,
      CompressionType.Lz4,
      CompressionType.Zstd,
    ]) {
      const packed = compress(codec, zeros);
      const error = compressionErrorOf(() => decompress(codec, packed, { maxOutputBytes: 1000 }));
      expect(error.kind).toBe('TOO_LARGE');
    }
  });

  it('codec ids 5–7 are UNSUPPORTED', () => {
    expect(compressionErrorOf(() => decompress(5 as CompressionType, TEXT)).kind).toBe(
      'UNSUPPORTED',
    );
  });
});
