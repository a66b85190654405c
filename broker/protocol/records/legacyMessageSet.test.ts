import { beforeAll, describe, expect, it } from 'vitest';
import { crc32 } from 'node:zlib';
import { compress, initCompression } from './compression';
import { CorruptRecordBatchError } from './errors';
import { decodeLegacyMessageSet } from './legacyMessageSet';
import { CompressionType, TimestampType } from './recordBatchHeader';
import { xxhash32 } from './xxhash32';
import * as captured from './fixtures/kafkajsCaptured';
import * as kcat from './fixtures/kcatCaptured';
import { decompress } from './compression';

beforeAll(async () => {
  await initCompression();
});

const fromBase64 = (text: string) => Buffer.from(text, 'base64');

interface MessageSpec {
  offset: bigint;
  magic: 0 | 1;
  attributes?: number;
  timestamp?: bigint;
  key?: Buffer | null;
  value?: Buffer | null;
}

/** One message set entry, built field by field from Kafka's "Old Message Format". */
function legacyMessage(spec: MessageSpec): Buffer {
  const bytesField = (bytes: Buffer | null | undefined) => {
    const length = Buffer.alloc(4);
    length.writeInt32BE(bytes == null ? -1 : bytes.length);
    return bytes == null ? length : Buffer.concat([length, bytes]);
  };
  const timestamp = Buffer.alloc(spec.magic === 1 ? 8 : 0);
  if (spec.magic === 1) timestamp.writeBigInt64BE(spec.timestamp ?? 0n);
  const body = Buffer.concat([
    Buffer.from([spec.magic, spec.attributes ?? 0]),
    timestamp,
    bytesField(spec.key),
    bytesField(spec.value),
  ]);
  const head = Buffer.alloc(16);
  head.writeBigInt64BE(spec.offset, 0);
  head.writeInt32BE(4 + body.length, 8);
  head.writeUInt32BE(crc32(body), 12);
  return Buffer.concat([head, body]);
}

function wrapper(
  magic: 0 | 1,
  codec: CompressionType,
  offset: bigint,
  inner: Buffer,
  extra: Partial<MessageSpec> = {},
): Buffer {
  return legacyMessage({
    offset,
    magic,
    attributes: codec | (extra.attributes ?? 0),
    timestamp: extra.timestamp,
    value: compress(codec, inner),
  });
}

const v = (text: string) => Buffer.from(text);

describe('magic 0 and 1 message sets built from the documented format', () => {
  it('decodes uncompressed magic 0 and magic 1 messages, with null keys and values', () => {
    const set = Buffer.concat([
      legacyMessage({ offset: 0n, magic: 0, key: v('k'), value: v('zero') }),
      legacyMessage({
        offset: 1n,
        magic: 1,
        timestamp: 1_500_000_000_000n,
        key: null,
        value: v('one'),
      }),
      legacyMessage({
        offset: 2n,
        magic: 1,
        attributes: 0x08,
        timestamp: 7n,
        key: v('k2'),
        value: null,
      }),
    ]);
    const records = decodeLegacyMessageSet(set);
    expect(records.map((r) => [r.magic, r.offset, r.timestamp, r.timestampType])).toEqual([
      [0, 0n, -1n, null],
      [1, 1n, 1_500_000_000_000n, TimestampType.CreateTime],
      [1, 2n, 7n, TimestampType.LogAppendTime],
    ]);
    expect(records.map((r) => [r.key?.toString() ?? null, r.value?.toString() ?? null])).toEqual([
      ['k', 'zero'],
      [null, 'one'],
      ['k2', null],
    ]);
    expect(records.every((r) => r.headers.length === 0)).toBe(true);
  });

  it('magic 1 wrappers hold relative inner offsets; the wrapper has the last absolute one', () => {
    const inner = Buffer.concat(
      [0n, 1n, 2n].map((offset) =>
        legacyMessage({ offset, magic: 1, timestamp: 100n + offset, value: v(`m${offset}`) }),
      ),
    );
    for (const codec of [
      CompressionType.Gzip,
      CompressionType.Snappy,
      CompressionType.Lz4,
      CompressionType.Zstd,
    ]) {
      const records = decodeLegacyMessageSet(wrapper(1, codec, 41n, inner, { timestamp: 999n }));
      expect(records.map((r) => r.offset)).toEqual([39n, 40n, 41n]);
      expect(records.map((r) => r.timestamp)).toEqual([100n, 101n, 102n]);
      expect(records.map((r) => r.value?.toString())).toEqual(['m0', 'm1', 'm2']);
      expect(records.every((r) => r.compression === codec)).toBe(true);
    }
  });

  it('a LogAppendTime wrapper gives its timestamp to every inner message', () => {
    const inner = Buffer.concat([
      legacyMessage({ offset: 0n, magic: 1, timestamp: 1n, value: v('a') }),
      legacyMessage({ offset: 1n, magic: 1, timestamp: 2n, value: v('b') }),
    ]);
    const records = decodeLegacyMessageSet(
      wrapper(1, CompressionType.Gzip, 5n, inner, { attributes: 0x08, timestamp: 777n }),
    );
    expect(records.map((r) => [r.offset, r.timestamp, r.timestampType])).toEqual([
      [4n, 777n, TimestampType.LogAppendTime],
      [5n, 777n, TimestampType.LogAppendTime],
    ]);
  });

  it('magic 0 wrappers hold absolute inner offsets', () => {
    const inner = Buffer.concat([
      legacyMessage({ offset: 70n, magic: 0, value: v('a') }),
      legacyMessage({ offset: 71n, magic: 0, value: v('b') }),
    ]);
    const records = decodeLegacyMessageSet(wrapper(0, CompressionType.Snappy, 71n, inner));
    expect(records.map((r) => [r.offset, r.value?.toString()])).toEqual([
      [70n, 'a'],
      [71n, 'b'],
    ]);
  });

  it("reads magic 0 LZ4 with the first clients' wrong frame checksum (KAFKA-3160)", () => {
    const inner = legacyMessage({ offset: 3n, magic: 0, value: v('old lz4') });
    const frame = compress(CompressionType.Lz4, inner);
    // Those clients hashed the magic number too: xxh32 over bytes 0..5 instead of 4..5.
    frame[6] = (xxhash32(frame, 0, 6) >>> 8) & 0xff;
    const outer = legacyMessage({
      offset: 3n,
      magic: 0,
      attributes: CompressionType.Lz4,
      value: frame,
    });
    expect(decodeLegacyMessageSet(outer).map((r) => r.value?.toString())).toEqual(['old lz4']);
  });

  it('names a CRC mismatch, a truncated message, nested compression and a null wrapper', () => {
    const good = legacyMessage({ offset: 0n, magic: 1, value: v('fine') });
    const flipped = Buffer.from(good);
    flipped[flipped.length - 1]! ^= 1;
    const kinds = (bytes: Buffer) => {
      try {
        decodeLegacyMessageSet(bytes);
      } catch (error) {
        expect(error).toBeInstanceOf(CorruptRecordBatchError);
        const { kind, position, message } = error as CorruptRecordBatchError;
        return { kind, position, message };
      }
      throw new Error('no error');
    };
    expect(kinds(flipped)).toMatchObject({ kind: 'CRC_MISMATCH', position: 12 });
    expect(kinds(Buffer.concat([good, good.subarray(0, 20)]))).toMatchObject({
      kind: 'TRUNCATED',
      position: good.length + 8,
    });
    const nested = wrapper(1, CompressionType.Gzip, 0n, wrapper(1, CompressionType.Gzip, 0n, good));
    expect(kinds(nested)).toMatchObject({ kind: 'INVALID_RECORD' });
    expect(kinds(nested).message).toMatch(/compressed message inside a compressed wrapper/);
    const nullWrapper = legacyMessage({ offset: 0n, magic: 1, attributes: 1, value: null });
    expect(kinds(nullWrapper)).toMatchObject({ kind: 'INVALID_RECORD' });
    const badPayload = legacyMessage({
      offset: 0n,
      magic: 1,
      attributes: 2,
      value: v('not snappy'),
    });
    expect(kinds(badPayload)).toMatchObject({ kind: 'CORRUPT_COMPRESSED_DATA' });
    const unknownMagic = Buffer.from(good);
    unknownMagic[16] = 2;
    expect(kinds(unknownMagic)).toMatchObject({ kind: 'UNSUPPORTED_MAGIC', position: 16 });
  });
});

describe('message sets a real client encoded (kafkajs 2.2.4)', () => {
  const expected = [
    ['k0', 'first', 0n],
    [null, 'second', 10n],
    ['k2', null, 20n],
  ];
  const contents = (records: ReturnType<typeof decodeLegacyMessageSet>) =>
    records.map((r) => [r.key?.toString() ?? null, r.value?.toString() ?? null]);

  it('decodes uncompressed magic 0 and magic 1 sets (offsets -1, as a producer sends)', () => {
    const v0 = decodeLegacyMessageSet(fromBase64(captured.legacyV0));
    expect(contents(v0)).toEqual(expected.map(([k, val]) => [k, val]));
    expect(v0.every((r) => r.magic === 0 && r.offset === -1n && r.timestamp === -1n)).toBe(true);
    const v1 = decodeLegacyMessageSet(fromBase64(captured.legacyV1));
    expect(v1.map((r) => r.timestamp)).toEqual(
      expected.map(([, , d]) => captured.BASE_TS + (d as bigint)),
    );
  });

  it.each([
    ['magic 0, gzip', captured.legacyV0Gzip, 0],
    ['magic 1, gzip', captured.legacyV1Gzip, 1],
    ['magic 0, xerial snappy', captured.legacyV0SnappyXerial, 0],
    ['magic 1, lz4', captured.legacyV1Lz4, 1],
  ])('decodes a %s wrapper once a broker gave it an offset', (_, base64, magic) => {
    const bytes = fromBase64(base64);
    bytes.writeBigInt64BE(102n, 0); // outside the CRC, as a broker assigns it
    const records = decodeLegacyMessageSet(bytes);
    expect(contents(records)).toEqual(expected.map(([k, val]) => [k, val]));
    // kafkajs numbers inner messages 0, 1, 2: relative for magic 1, taken as-is for magic 0.
    expect(records.map((r) => r.offset)).toEqual(magic === 1 ? [100n, 101n, 102n] : [0n, 1n, 2n]);
  });
});

describe('message sets librdkafka encoded (kcat 1.7.1, librdkafka 2.0.2)', () => {
  const expected = [
    ['user-1', '{"event":"login","ok":true}'],
    [null, 'no key here'],
    ['bin', '\x01\x02 binary-ish'],
    ['empty', ''],
    ['big', 'lorem ipsum dolor sit amet '.repeat(40)],
  ];
  const contents = (records: ReturnType<typeof decodeLegacyMessageSet>) =>
    records.map((r) => [r.key?.toString() ?? null, r.value?.toString() ?? null]);

  it.each([
    ['magic 1, uncompressed', kcat.legacyV1, 1, CompressionType.None],
    ['magic 1, gzip', kcat.legacyV1Gzip, 1, CompressionType.Gzip],
    ['magic 1, snappy', kcat.legacyV1Snappy, 1, CompressionType.Snappy],
    ['magic 1, lz4', kcat.legacyV1Lz4, 1, CompressionType.Lz4],
    ['magic 0, uncompressed', kcat.legacyV0, 0, CompressionType.None],
    ['magic 0, gzip', kcat.legacyV0Gzip, 0, CompressionType.Gzip],
    ['magic 0, snappy', kcat.legacyV0Snappy, 0, CompressionType.Snappy],
    ['magic 0, lz4 (wrong frame checksum)', kcat.legacyV0Lz4, 0, CompressionType.Lz4],
  ])('decodes the %s set once a broker gave it offsets', (_, base64, magic, codec) => {
    const bytes = fromBase64(base64);
    if (codec !== CompressionType.None) bytes.writeBigInt64BE(104n, 0); // the wrapper's offset
    const records = decodeLegacyMessageSet(bytes);
    expect(contents(records)).toEqual(expected);
    expect(records.every((r) => r.magic === magic && r.compression === codec)).toBe(true);
    // librdkafka numbers messages 0–4: inside a magic 1 wrapper they are relative to it.
    const offsets =
      codec !== CompressionType.None && magic === 1
        ? [100n, 101n, 102n, 103n, 104n]
        : [0n, 1n, 2n, 3n, 4n];
    expect(records.map((r) => r.offset)).toEqual(offsets);
    if (magic === 1) expect(records.every((r) => r.timestamp > 1_600_000_000_000n)).toBe(true);
    else expect(records.every((r) => r.timestamp === -1n && r.timestampType === null)).toBe(true);
  });

  it('the magic 0 LZ4 frame really carries the old wrong checksum', () => {
    const bytes = fromBase64(kcat.legacyV0Lz4);
    const valueLength = bytes.readInt32BE(22); // offset 8, size 4, crc 4, magic, attributes, key -1 (4)
    const frame = bytes.subarray(26, 26 + valueLength);
    expect(() => decompress(CompressionType.Lz4, frame)).toThrow(/descriptor checksum/);
  });
});
