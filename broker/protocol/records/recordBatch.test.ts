import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { initCompression, compress } from './compression';
import { ControlRecordType, endTransactionMarker } from './controlRecord';
import { CorruptRecordBatchError, type CorruptionKind } from './errors';
import {
  decodeRecordBatch,
  scanRecordBatch,
  validateRecordBatch,
  type DecodedRecord,
} from './recordBatch';
import { encodeRecordBatch, type RecordInput } from './recordBatchEncoder';
import {
  CompressionType,
  computeRecordBatchCrc,
  isRecordBatchCrcValid,
  Offsets,
  readRecordBatchHeader,
  setBaseOffset,
  setLogAppendTime,
  setPartitionLeaderEpoch,
  TimestampType,
} from './recordBatchHeader';
import * as captured from './fixtures/kafkajsCaptured';
import * as kcat from './fixtures/kcatCaptured';

const fromBase64 = (text: string) => Buffer.from(text, 'base64');
const BASE_TS = captured.BASE_TS;

beforeAll(async () => {
  await initCompression();
});

/** What kafkajs was asked to encode in fixtures/kafkajsCaptured.ts. */
const KAFKAJS_RECORDS = [
  {
    key: 'user-1',
    value: '{"event":"login","ok":true}',
    delta: 0n,
    headers: [['trace', 'abc123']],
  },
  { key: null, value: 'no key here', delta: 5n, headers: [] },
  {
    key: 'bin',
    value: Buffer.from([0, 1, 2, 254, 255]),
    delta: 1n,
    headers: [
      ['multi', 'a'],
      ['multi', 'b'],
      ['ünïcode-κλειδί', 'välue'],
    ],
  },
  { key: 'empty', value: '', delta: 300_000n, headers: [] },
  { key: 'big', value: 'lorem ipsum dolor sit amet '.repeat(40), delta: 2n, headers: [] },
] as const;

function expectKafkajsRecords(records: DecodedRecord[]): void {
  expect(records).toHaveLength(KAFKAJS_RECORDS.length);
  records.forEach((record, i) => {
    const expected = KAFKAJS_RECORDS[i]!;
    expect(record.offsetDelta).toBe(i);
    expect(record.offset).toBe(BigInt(i));
    expect(record.timestampDelta).toBe(expected.delta);
    expect(record.timestamp).toBe(BASE_TS + expected.delta);
    expect(record.key === null ? null : record.key.toString()).toBe(expected.key);
    expect(record.value?.equals(Buffer.from(expected.value))).toBe(true);
    expect(record.headers.map((h) => [h.key, h.value?.toString()])).toEqual(expected.headers);
  });
}

function corruptionOf(run: () => unknown): CorruptRecordBatchError {
  try {
    run();
  } catch (error) {
    if (error instanceof CorruptRecordBatchError) return error;
    throw error;
  }
  throw new Error('expected a CorruptRecordBatchError, nothing was thrown');
}

function expectCorruption(run: () => unknown, kind: CorruptionKind, position?: number): void {
  const error = corruptionOf(run);
  expect(error.kind, error.message).toBe(kind);
  expect(error.kafkaError).toBe('CORRUPT_MESSAGE');
  if (position !== undefined) expect(error.position, error.message).toBe(position);
}

/** Rewrites the CRC after a deliberate edit, so the check under test is not the CRC's. */
function recrc(batch: Buffer): Buffer {
  batch.writeUInt32BE(computeRecordBatchCrc(batch), Offsets.crc);
  return batch;
}

describe('batches a real client encoded (kafkajs 2.2.4)', () => {
  it.each([
    ['uncompressed', captured.none, CompressionType.None],
    ['gzip', captured.gzip, CompressionType.Gzip],
    ['raw snappy (snappyjs)', captured.snappyRaw, CompressionType.Snappy],
    ['xerial snappy (libsnappy, Java layout)', captured.snappyXerial, CompressionType.Snappy],
    ['lz4 (lz4js frame)', captured.lz4js, CompressionType.Lz4],
    ['lz4 (lz4 CLI frame, Java layout)', captured.lz4Cli, CompressionType.Lz4],
    ['zstd (zstd CLI, no content size)', captured.zstdCli, CompressionType.Zstd],
  ])('decodes the %s batch', (_, base64, compression) => {
    const bytes = fromBase64(base64);
    expect(validateRecordBatch(bytes, { asProduced: true }).compression).toBe(compression);
    const batch = decodeRecordBatch(bytes);
    expect(batch).toMatchObject({
      baseOffset: 0n,
      magic: 2,
      compression,
      timestampType: TimestampType.CreateTime,
      isTransactional: false,
      isControl: false,
      lastOffsetDelta: 4,
      lastOffset: 4n,
      baseTimestamp: BASE_TS,
      maxTimestamp: BASE_TS + 300_000n,
      producerId: -1n,
      recordsCount: 5,
      sizeInBytes: bytes.length,
    });
    expectKafkajsRecords(batch.records);
  });

  it('decodes the transactional flag and producer fields', () => {
    const batch = decodeRecordBatch(fromBase64(captured.transactional));
    expect(batch).toMatchObject({
      isTransactional: true,
      isControl: false,
      producerId: 4242n,
      producerEpoch: 3,
      baseSequence: 17,
    });
    expectKafkajsRecords(batch.records);
  });

  it('encodes the same bytes kafkajs does, given the same fields', () => {
    const records: RecordInput[] = KAFKAJS_RECORDS.map((r) => ({
      key: r.key,
      value: r.value,
      timestamp: BASE_TS + r.delta,
      headers: r.headers.map(([key, value]) => ({ key, value })),
    }));
    // kafkajs's defaults differ from the Java client's: epoch 0, sequence 0, leader epoch 0.
    const common = {
      records,
      maxTimestamp: BASE_TS + 300_000n,
      producerEpoch: 0,
      baseSequence: 0,
      partitionLeaderEpoch: 0,
    };
    expect(encodeRecordBatch(common).equals(fromBase64(captured.none))).toBe(true);
    expect(
      encodeRecordBatch({
        ...common,
        isTransactional: true,
        producerId: 4242,
        producerEpoch: 3,
        baseSequence: 17,
      }).equals(fromBase64(captured.transactional)),
    ).toBe(true);
  });

  it('returns views of the input for an uncompressed batch, not copies', () => {
    const bytes = fromBase64(captured.none);
    const record = decodeRecordBatch(bytes).records[0]!;
    expect(record.value!.buffer).toBe(bytes.buffer);
    expect(record.key!.buffer).toBe(bytes.buffer);
    expect(record.headers[0]!.value!.buffer).toBe(bytes.buffer);
  });
});

/** What kcat was given in fixtures/kcatCaptured.ts (key|value lines). */
const KCAT_MESSAGES: [string | null, string][] = [
  ['user-1', '{"event":"login","ok":true}'],
  [null, 'no key here'],
  ['bin', '\x01\x02 binary-ish'],
  ['empty', ''],
  ['big', 'lorem ipsum dolor sit amet '.repeat(40)],
];

describe('batches librdkafka encoded (kcat 1.7.1, librdkafka 2.0.2)', () => {
  it.each([
    ['uncompressed', kcat.none, CompressionType.None],
    ['gzip', kcat.gzip, CompressionType.Gzip],
    ['raw snappy', kcat.snappy, CompressionType.Snappy],
    ['lz4', kcat.lz4, CompressionType.Lz4],
    ['zstd', kcat.zstd, CompressionType.Zstd],
  ])('decodes the %s batch', (_, base64, compression) => {
    const bytes = fromBase64(base64);
    validateRecordBatch(bytes, { asProduced: true });
    const batch = decodeRecordBatch(bytes);
    expect(batch).toMatchObject({
      compression,
      producerId: -1n,
      producerEpoch: -1,
      baseSequence: -1,
      recordsCount: 5,
      lastOffsetDelta: 4,
      sizeInBytes: bytes.length,
    });
    expect(batch.records.map((r) => [r.key?.toString() ?? null, r.value?.toString()])).toEqual(
      KCAT_MESSAGES,
    );
    for (const record of batch.records) {
      expect(record.headers.map((h) => [h.key, h.value?.toString()])).toEqual([
        ['trace', 'abc123'],
        ['ünïcode', 'välue'],
      ]);
      expect(record.timestamp).toBe(batch.baseTimestamp + record.timestampDelta);
      expect(record.timestamp <= batch.maxTimestamp).toBe(true);
    }
  });
});

const bytesOrString = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
  fc.string({ maxLength: 50, unit: 'grapheme' }),
);
const recordArbitrary = fc.record(
  {
    key: fc.option(bytesOrString),
    value: fc.option(bytesOrString),
    headers: fc.array(
      fc.record({
        key: fc.string({ maxLength: 20, unit: 'grapheme' }),
        value: fc.option(bytesOrString),
      }),
      { maxLength: 4 },
    ),
    timestamp: fc.bigInt({ min: -1n, max: 2n ** 50n }),
  },
  { requiredKeys: [] },
);
const toBuffer = (bytes: Buffer | string | null | undefined) =>
  bytes === null || bytes === undefined ? null : Buffer.from(bytes);

describe('encode → decode', () => {
  it('round-trips arbitrary records with every codec and header field', () => {
    fc.assert(
      fc.property(
        fc.array(recordArbitrary, { maxLength: 30 }),
        fc.record({
          compression: fc.constantFrom(
            CompressionType.None,
            CompressionType.Gzip,
            CompressionType.Snappy,
            CompressionType.Lz4,
            CompressionType.Zstd,
          ),
          snappyFormat: fc.constantFrom('raw' as const, 'xerial' as const),
          baseOffset: fc.bigInt({ min: 0n, max: 2n ** 62n }),
          partitionLeaderEpoch: fc.integer({ min: -1, max: 2 ** 31 - 1 }),
          producerId: fc.bigInt({ min: -1n, max: 2n ** 62n }),
          producerEpoch: fc.integer({ min: -1, max: 32767 }),
          baseSequence: fc.integer({ min: -1, max: 2 ** 31 - 1 }),
          isTransactional: fc.boolean(),
          baseTimestamp: fc.option(fc.bigInt({ min: 0n, max: 2n ** 45n }), { nil: undefined }),
        }),
        (records, options) => {
          const bytes = encodeRecordBatch({ ...options, records });
          expect(isRecordBatchCrcValid(bytes)).toBe(true);
          validateRecordBatch(bytes, { asProduced: records.length > 0 });
          const batch = decodeRecordBatch(bytes);
          expect(batch).toMatchObject({
            baseOffset: options.baseOffset,
            batchLength: bytes.length - 12,
            partitionLeaderEpoch: options.partitionLeaderEpoch,
            compression: options.compression,
            producerId: options.producerId,
            producerEpoch: options.producerEpoch,
            baseSequence: options.baseSequence,
            isTransactional: options.isTransactional,
            recordsCount: records.length,
            lastOffsetDelta: Math.max(records.length - 1, 0),
          });
          const timestamps = records.map((r) => r.timestamp ?? batch.baseTimestamp);
          if (records.length > 0) {
            expect(batch.baseTimestamp).toBe(
              options.baseTimestamp ??
                records.find((r) => r.timestamp !== undefined)?.timestamp ??
                batch.baseTimestamp,
            );
            expect(batch.maxTimestamp).toBe(timestamps.reduce((a, b) => (a > b ? a : b)));
          }
          batch.records.forEach((record, i) => {
            const input = records[i]!;
            expect(record.offset).toBe(options.baseOffset + BigInt(i));
            expect(record.timestamp).toBe(timestamps[i]);
            expect(record.key).toEqual(toBuffer(input.key));
            expect(record.value).toEqual(toBuffer(input.value));
            expect(record.headers).toEqual(
              (input.headers ?? []).map((h) => ({ key: h.key, value: toBuffer(h.value) })),
            );
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('scanRecordBatch sees exactly what decodeRecordBatch builds', () => {
    fc.assert(
      fc.property(
        fc.array(recordArbitrary, { maxLength: 20 }),
        fc.constantFrom(CompressionType.None, CompressionType.Gzip, CompressionType.Lz4),
        (records, compression) => {
          const bytes = encodeRecordBatch({ records, compression, baseOffset: 7 });
          const decoded = decodeRecordBatch(bytes).records;
          const seen: unknown[] = [];
          const header = scanRecordBatch(bytes, (cursor) => {
            seen.push({
              index: cursor.index,
              offsetDelta: cursor.offsetDelta,
              timestampDelta: BigInt(cursor.timestampDelta),
              key: cursor.key(),
              value: cursor.value(),
              headers: cursor.headers(),
            });
          });
          expect(header.recordsCount).toBe(records.length);
          expect(seen).toEqual(
            decoded.map((r, index) => ({
              index,
              offsetDelta: r.offsetDelta,
              timestampDelta: r.timestampDelta,
              key: r.key,
              value: r.value,
              headers: r.headers,
            })),
          );
        },
      ),
      { numRuns: 100 },
    );
  });

  it('scanRecordBatch and validateRecordBatch judge damaged records as decodeRecordBatch does', () => {
    // scanRecordBatch and validateRecordBatch walk plain records (short varints, no headers)
    // in a fast loop that hands anything else to the full walk: damage anywhere in the
    // records must give the same records before it and the same error as the full walk.
    const plainRecord = fc.record({
      key: fc.option(fc.string({ maxLength: 80 }), { nil: null }),
      value: fc.option(fc.uint8Array({ maxLength: 200 }).map(Buffer.from), { nil: null }),
      timestamp: fc.bigInt({ min: BASE_TS - 10_000n, max: BASE_TS + 10_000n }),
      headers: fc.constantFrom([], [], [], [{ key: 'h', value: 'v' }]),
    });
    const errorOf = (run: () => unknown) => {
      try {
        run();
        return null;
      } catch (error) {
        const { kind, position, message } = error as CorruptRecordBatchError;
        return { kind, position, message };
      }
    };
    fc.assert(
      fc.property(
        fc.array(plainRecord, { minLength: 1, maxLength: 12 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }),
        fc.integer({ min: -1, max: 1 }),
        (records, edits, countChange) => {
          const bytes = encodeRecordBatch({ records, baseTimestamp: BASE_TS });
          const recordsLength = bytes.length - 61;
          for (const [at, value] of edits) bytes[61 + (at % recordsLength)] = value;
          bytes.writeInt32BE(records.length + countChange, Offsets.recordsCount);
          recrc(bytes);
          let decoded: DecodedRecord[] = [];
          const expected = errorOf(() => (decoded = decodeRecordBatch(bytes).records));
          const seen: unknown[] = [];
          const got = errorOf(() =>
            scanRecordBatch(bytes, (cursor) =>
              seen.push({
                offsetDelta: cursor.offsetDelta,
                timestampDelta: BigInt(cursor.timestampDelta),
                key: cursor.key(),
                value: cursor.value(),
                headers: cursor.headers(),
              }),
            ),
          );
          expect(got).toEqual(expected);
          if (expected === null) {
            expect(seen).toEqual(
              decoded.map((r) => ({
                offsetDelta: r.offsetDelta,
                timestampDelta: r.timestampDelta,
                key: r.key,
                value: r.value,
                headers: r.headers,
              })),
            );
          }
          expect(errorOf(() => validateRecordBatch(bytes))).toEqual(expected);
          // The same with the header passed in, as a segment walk does.
          let given = 0;
          expect(
            errorOf(() =>
              scanRecordBatch(bytes, () => given++, { header: readRecordBatchHeader(bytes) }),
            ),
          ).toEqual(expected);
          expect(given).toBe(seen.length);
        },
      ),
      { numRuns: 300 },
    );
  }, 30_000); // hundreds of batches decoded three ways: room for a loaded machine

  it('scanRecordBatch raises the same errors, after visiting the records before the bad one', () => {
    const bytes = encodeRecordBatch({
      records: [{ value: 'a'.repeat(20) }, { value: 'b'.repeat(20) }, { value: 'c'.repeat(20) }],
    });
    bytes.writeInt32BE(4, Offsets.recordsCount);
    recrc(bytes);
    const visited: number[] = [];
    expectCorruption(
      () => scanRecordBatch(bytes, (cursor) => void visited.push(cursor.index)),
      'RECORD_COUNT_MISMATCH',
    );
    expect(visited).toEqual([0, 1, 2]);
    bytes[bytes.length - 1]! ^= 1;
    expectCorruption(() => scanRecordBatch(bytes, () => {}), 'CRC_MISMATCH', 17);
  });

  it('keeps record offset deltas and an explicit lastOffsetDelta (compacted batches)', () => {
    const bytes = encodeRecordBatch({
      baseOffset: 100,
      records: [
        { value: 'a', offsetDelta: 0 },
        { value: 'c', offsetDelta: 2 },
      ],
      lastOffsetDelta: 5,
    });
    const batch = decodeRecordBatch(bytes);
    expect(batch.records.map((r) => r.offset)).toEqual([100n, 102n]);
    expect(batch.lastOffset).toBe(105n);
    validateRecordBatch(bytes); // a log may hold this
    expectCorruption(() => validateRecordBatch(bytes, { asProduced: true }), 'INVALID_OFFSETS');
  });

  it('encodes and decodes transaction markers in control batches', () => {
    for (const type of ['COMMIT', 'ABORT'] as const) {
      const marker = endTransactionMarker(type, 7);
      expect(marker.key.toString('hex')).toBe(type === 'COMMIT' ? '00000001' : '00000000');
      expect(marker.value.toString('hex')).toBe('000000000007');
      const bytes = encodeRecordBatch({
        records: [marker],
        isControl: true,
        isTransactional: true,
        producerId: 9,
        producerEpoch: 1,
      });
      const batch = decodeRecordBatch(bytes);
      expect(batch.isControl).toBe(true);
      expect(batch.records[0]!.control).toEqual({
        version: 0,
        type: ControlRecordType[type],
        typeName: type,
        coordinatorEpoch: 7,
      });
    }
  });

  it('names control records of other types and rejects a control batch without one', () => {
    const key = Buffer.from([0, 0, 0, ControlRecordType.LEADER_CHANGE]);
    const leaderChange = decodeRecordBatch(
      encodeRecordBatch({ records: [{ key, value: Buffer.from([1, 2]) }], isControl: true }),
    );
    expect(leaderChange.records[0]!.control).toEqual({
      version: 0,
      type: 2,
      typeName: 'LEADER_CHANGE',
    });
    const bad = encodeRecordBatch({ records: [{ key: null, value: 'x' }], isControl: true });
    expectCorruption(() => decodeRecordBatch(bad), 'INVALID_CONTROL_RECORD', 61);
  });
});

describe('what a broker does on append', () => {
  it('base offset and leader epoch are written without touching the CRC', () => {
    const bytes = encodeRecordBatch({ records: [{ value: 'a' }, { value: 'b' }] });
    setBaseOffset(bytes, 1_000_000n);
    setPartitionLeaderEpoch(bytes, 12);
    expect(isRecordBatchCrcValid(bytes)).toBe(true);
    const batch = decodeRecordBatch(bytes);
    expect(batch.records.map((r) => r.offset)).toEqual([1_000_000n, 1_000_001n]);
    expect(batch.partitionLeaderEpoch).toBe(12);
  });

  it('LogAppendTime sets the attribute and maxTimestamp, recomputes the CRC, and every record reads it', () => {
    const bytes = encodeRecordBatch({
      records: [
        { value: 'a', timestamp: 5 },
        { value: 'b', timestamp: 9 },
      ],
      compression: CompressionType.Lz4,
    });
    setLogAppendTime(bytes, 1_234_567n);
    expect(isRecordBatchCrcValid(bytes)).toBe(true);
    const batch = decodeRecordBatch(bytes);
    expect(batch.timestampType).toBe(TimestampType.LogAppendTime);
    expect(batch.maxTimestamp).toBe(1_234_567n);
    expect(batch.records.map((r) => r.timestamp)).toEqual([1_234_567n, 1_234_567n]);
  });
});

describe('corrupt and truncated batches', () => {
  const sample = () =>
    encodeRecordBatch({
      baseOffset: 10,
      records: [
        { key: 'k', value: 'first value', headers: [{ key: 'h', value: 'v' }] },
        { key: null, value: 'second' },
        { key: 'k3', value: 'third' },
      ],
    });

  it('a flipped bit anywhere the CRC covers is a CRC_MISMATCH at byte 17', () => {
    const bytes = sample();
    fc.assert(
      fc.property(
        fc.integer({ min: Offsets.attributes, max: bytes.length - 1 }),
        fc.nat(7),
        (at, bit) => {
          const damaged = Buffer.from(bytes);
          damaged[at]! ^= 1 << bit;
          expectCorruption(() => decodeRecordBatch(damaged), 'CRC_MISMATCH', 17);
          expectCorruption(() => validateRecordBatch(damaged), 'CRC_MISMATCH', 17);
        },
      ),
    );
  });

  it('a truncated batch is TRUNCATED, whatever the cut', () => {
    const bytes = sample();
    for (let length = 0; length < bytes.length; length++) {
      const error = corruptionOf(() => validateRecordBatch(bytes.subarray(0, length)));
      expect(error.kind).toBe('TRUNCATED');
      expect(error.message).toMatch(length < 61 ? /header needs 61 bytes/ : /only \d+ available/);
    }
  });

  it('an unknown magic and an impossible length are named', () => {
    const wrongMagic = sample();
    wrongMagic[Offsets.magic] = 3;
    expectCorruption(() => decodeRecordBatch(wrongMagic), 'UNSUPPORTED_MAGIC', 16);
    const legacy = sample();
    legacy[Offsets.magic] = 1;
    expect(corruptionOf(() => decodeRecordBatch(legacy)).message).toMatch(/legacy message set/);
    const short = sample();
    short.writeInt32BE(20, Offsets.batchLength);
    expectCorruption(() => validateRecordBatch(short), 'INVALID_LENGTH', 8);
  });

  it('a record count that disagrees with the records is RECORD_COUNT_MISMATCH', () => {
    const more = sample();
    more.writeInt32BE(4, Offsets.recordsCount);
    expectCorruption(() => validateRecordBatch(recrc(more)), 'RECORD_COUNT_MISMATCH');
    const fewer = sample();
    fewer.writeInt32BE(2, Offsets.recordsCount);
    expectCorruption(() => decodeRecordBatch(recrc(fewer)), 'RECORD_COUNT_MISMATCH');
    const huge = sample();
    huge.writeInt32BE(1_000_000, Offsets.recordsCount);
    expectCorruption(() => decodeRecordBatch(recrc(huge)), 'RECORD_COUNT_MISMATCH', 57);
    const negative = sample();
    negative.writeInt32BE(-1, Offsets.recordsCount);
    expectCorruption(() => decodeRecordBatch(recrc(negative)), 'RECORD_COUNT_MISMATCH', 57);
  });

  it('a record length that disagrees with its fields is INVALID_RECORD at that record', () => {
    const bytes = sample();
    // The first record starts at 61 with a one-byte length; claim one byte more.
    bytes[61]! += 2; // zigzag: +2 is one more
    expectCorruption(() => validateRecordBatch(recrc(bytes)), 'INVALID_RECORD', 61);
  });

  it('an unknown codec and a bad compressed payload are named, at the records', () => {
    const unknown = sample();
    unknown.writeInt16BE(5, Offsets.attributes);
    expectCorruption(() => decodeRecordBatch(recrc(unknown)), 'UNSUPPORTED_COMPRESSION', 21);
    for (const compression of [
      CompressionType.Gzip,
      CompressionType.Snappy,
      CompressionType.Lz4,
      CompressionType.Zstd,
    ]) {
      const bytes = encodeRecordBatch({ records: [{ value: 'x'.repeat(500) }], compression });
      const damaged = Buffer.concat([
        bytes.subarray(0, 61),
        Buffer.from('not a compressed payload'),
      ]);
      damaged.writeInt32BE(damaged.length - 12, Offsets.batchLength);
      const error = corruptionOf(() => decodeRecordBatch(recrc(damaged)));
      expect(error.kind).toBe('CORRUPT_COMPRESSED_DATA');
      expect(error.position).toBe(61);
      expect((error.cause as Error).name).toBe('CompressionError');
    }
  });

  it('records inside compressed data are checked too, with the place in the message', () => {
    const section = Buffer.from([0x02, 0, 0, 0, 0, 0, 0, 0]); // a record of length 1: impossible
    const bytes = encodeRecordBatch({
      records: [{ value: 'x' }],
      compression: CompressionType.Gzip,
    });
    const packed = compress(CompressionType.Gzip, section);
    const damaged = Buffer.concat([bytes.subarray(0, 61), packed]);
    damaged.writeInt32BE(damaged.length - 12, Offsets.batchLength);
    const error = corruptionOf(() => decodeRecordBatch(recrc(damaged)));
    expect(error.kind).toBe('INVALID_RECORD');
    expect(error.message).toMatch(/at byte 0 of the decompressed records/);
  });

  it('mutated bytes with a fixed-up CRC never escape as anything but CorruptRecordBatchError', () => {
    const batches = [
      sample(),
      encodeRecordBatch({
        records: [{ key: 'a', value: 'b'.repeat(300) }],
        compression: CompressionType.Snappy,
      }),
      encodeRecordBatch({
        records: [{ key: 'a', value: 'b'.repeat(300) }],
        compression: CompressionType.Lz4,
      }),
      encodeRecordBatch({
        records: [{ key: 'a', value: 'b'.repeat(300) }],
        compression: CompressionType.Zstd,
      }),
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...batches),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        (bytes, flips) => {
          const damaged = Buffer.from(bytes);
          for (const [at, mask] of flips) {
            const i = Offsets.attributes + (at % (damaged.length - Offsets.attributes));
            damaged[i]! ^= mask;
          }
          try {
            decodeRecordBatch(recrc(damaged));
          } catch (error) {
            expect(error).toBeInstanceOf(CorruptRecordBatchError);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it("validation depth: 'none' stops after the CRC, 'uncompressed' skips compressed records", () => {
    const bytes = sample();
    bytes.writeInt32BE(4, Offsets.recordsCount);
    recrc(bytes);
    expect(validateRecordBatch(bytes, { records: 'none' }).recordsCount).toBe(4);
    expectCorruption(
      () => validateRecordBatch(bytes, { records: 'uncompressed' }),
      'RECORD_COUNT_MISMATCH',
    );
    const gzip = encodeRecordBatch({
      records: [{ value: 'x' }],
      compression: CompressionType.Gzip,
    });
    gzip.writeInt32BE(4, Offsets.recordsCount);
    recrc(gzip);
    expect(validateRecordBatch(gzip, { records: 'uncompressed' }).recordsCount).toBe(4);
    expectCorruption(() => validateRecordBatch(gzip), 'RECORD_COUNT_MISMATCH');
  });

  it('a produced batch must have records, and lastOffsetDelta = count - 1', () => {
    const empty = encodeRecordBatch({ records: [] });
    validateRecordBatch(empty);
    expectCorruption(() => validateRecordBatch(empty, { asProduced: true }), 'INVALID_OFFSETS', 57);
    const wrongLast = encodeRecordBatch({ records: [{ value: 'a' }], lastOffsetDelta: 3 });
    expectCorruption(
      () => validateRecordBatch(wrongLast, { asProduced: true }),
      'INVALID_OFFSETS',
      23,
    );
  });
});
