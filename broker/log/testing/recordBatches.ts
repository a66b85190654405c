/**
 * Record batches for tests and benchmarks, built by kafkajs's own encoder: the bytes a real
 * client sends (magic 2, CRC-32C, zigzag varint records). kafkajs is a dev-time helper here;
 * the log itself never encodes records.
 */
import { RecordBatch } from 'kafkajs/src/protocol/recordBatch/v0/index.js';
import Record from 'kafkajs/src/protocol/recordBatch/record/v0/index.js';

export interface TestRecord {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  timestamp?: number;
  headers?: Record<string, Buffer | string>;
}

/** kafkajs's codes: 0 none, 1 gzip (the others need codecs registered with kafkajs). */
export const Compression = { none: 0, gzip: 1 } as const;

/** One batch holding `records`, with base offset 0, as a producer would send it. */
export async function buildBatch(
  records: readonly TestRecord[],
  { compression = Compression.none, now = Date.now() }: { compression?: number; now?: number } = {},
): Promise<Buffer> {
  const timestamps = records.map((record) => record.timestamp ?? now);
  const firstTimestamp = Math.min(...timestamps);
  const encoded = await RecordBatch({
    compression,
    firstTimestamp,
    maxTimestamp: Math.max(...timestamps),
    lastOffsetDelta: records.length - 1,
    records: records.map((record, i) =>
      Record({
        offsetDelta: i,
        timestampDelta: timestamps[i]! - firstTimestamp,
        key: record.key ?? null,
        value: record.value,
        headers: record.headers ?? {},
      }),
    ),
  });
  return Buffer.from(encoded.buffer);
}

/** `count` records of `valueBytes` pseudo-random bytes each (deterministic from `seed`). */
export function sampleRecords(
  count: number,
  valueBytes: number,
  seed: number,
  timestamp?: number,
): TestRecord[] {
  let state = seed >>> 0 || 1;
  const next = () => {
    // xorshift32: cheap, deterministic, incompressible enough for storage benchmarks.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
  return Array.from({ length: count }, (_, i) => {
    const value = Buffer.allocUnsafe(valueBytes);
    for (let j = 0; j + 4 <= valueBytes; j += 4) value.writeUInt32LE(next(), j);
    for (let j = valueBytes - (valueBytes % 4); j < valueBytes; j++) value[j] = next() & 0xff;
    return { key: `key-${seed}-${i}`, value, ...(timestamp === undefined ? {} : { timestamp }) };
  });
}
