/**
 * codec-decode: how fast record batches decode — iterate a buffer of concatenated batches,
 * check each CRC, decompress, and build every record — uncompressed and with each codec,
 * against `Buffer.copy` of the same bytes (the floor: nothing can decode faster than memory
 * can be copied).
 *
 * The data: batches of 1,000 records with ~100-byte JSON values, 100 MB of uncompressed
 * batch bytes with BENCH_FULL=1, 16 MB by default (so it runs in well under a minute; the
 * rate hardly depends on size past a few MB). Every codec encodes the same records. Rates
 * count the uncompressed batch bytes, so codecs compare on the data they carry; the stored
 * (compressed) size is printed beside each.
 *
 * Prints one JSON line per kind: {"bench", "ratio", "value", "unit", "baseline", …} with
 * value = decode MB/s by the best wall time of the repetitions (the least disturbed on a
 * shared machine; the copy is timed the same way) and ratio = value ÷ copy MB/s. `cpuMBps`
 * is the same rate by this process's median CPU time, steadier when the machine is busy.
 * `codec-decode/scan-KIND` does the same walk with `scanRecordBatch`, which builds no object
 * per record: what remains is CRC, decompression and the varint walk. Also
 * `codec-decode/validate`: `validateRecordBatch` over the uncompressed batches with
 * `asProduced` (CRC-32C and a walk of every record), the check a broker runs on every
 * produced batch.
 */
import {
  CompressionType,
  decodeRecordBatch,
  encodeRecordBatch,
  initCompression,
  iterateLogEntries,
  scanRecordBatch,
  validateRecordBatch,
  type RecordInput,
} from '../broker/protocol/records/index';

const FULL = process.env.BENCH_FULL === '1';
const TARGET_BYTES = (FULL ? 100 : 16) * 1_000_000;
const RECORDS_PER_BATCH = 1_000;
const REPETITIONS = FULL ? 3 : 5;
const MB = 1_000_000;

/** xorshift32, so every run encodes the same data. */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 32;
  };
}

const EVENTS = ['page_view', 'click', 'add_to_cart', 'checkout', 'login', 'logout', 'search'];

function makeRecords(next: () => number, baseTimestamp: number): RecordInput[] {
  return Array.from({ length: RECORDS_PER_BATCH }, (_, i) => {
    const user = Math.floor(next() * 50_000);
    const value = JSON.stringify({
      user: `user-${user}`,
      event: EVENTS[Math.floor(next() * EVENTS.length)],
      amount: Math.round(next() * 100_000) / 100,
      session: Math.floor(next() * 2 ** 32).toString(16),
      ok: next() < 0.97,
    });
    return {
      key: `user-${user}`,
      value,
      timestamp: baseTimestamp + i * 3 + Math.floor(next() * 3),
      headers:
        i % 10 === 0 ? [{ key: 'trace-id', value: Math.floor(next() * 2 ** 32).toString(16) }] : [],
    };
  });
}

/** The same records as concatenated batches, per codec: a segment's worth of bytes. */
function buildSegments(): { logicalBytes: number; records: number; segments: Map<string, Buffer> } {
  const kinds: [string, CompressionType, 'raw' | 'xerial'][] = [
    ['none', CompressionType.None, 'xerial'],
    ['gzip', CompressionType.Gzip, 'xerial'],
    ['snappy', CompressionType.Snappy, 'xerial'],
    ['snappy-raw', CompressionType.Snappy, 'raw'],
    ['lz4', CompressionType.Lz4, 'xerial'],
    ['zstd', CompressionType.Zstd, 'xerial'],
  ];
  const parts = new Map<string, Buffer[]>(kinds.map(([name]) => [name, []]));
  const next = random(0x5eed);
  let logicalBytes = 0;
  let baseOffset = 0;
  while (logicalBytes < TARGET_BYTES) {
    const records = makeRecords(next, 1_700_000_000_000 + baseOffset * 3);
    for (const [name, compression, snappyFormat] of kinds) {
      const batch = encodeRecordBatch({ baseOffset, records, compression, snappyFormat });
      parts.get(name)!.push(batch);
      if (compression === CompressionType.None) logicalBytes += batch.length;
    }
    baseOffset += RECORDS_PER_BATCH;
  }
  const segments = new Map([...parts].map(([name, list]) => [name, Buffer.concat(list)]));
  return { logicalBytes, records: baseOffset, segments };
}

interface Timing {
  /** Best wall time of the repetitions, ms: the run least disturbed by other processes. */
  wallMs: number;
  /** Median CPU time (user + system) of this process, ms. */
  cpuMs: number;
}

/** Times `run` after one warm-up; best wall time and median CPU time of the repetitions. */
function time(run: () => void): Timing {
  run();
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < REPETITIONS; i++) {
    globalThis.gc?.();
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    run();
    walls.push(Number(process.hrtime.bigint() - start) / 1e6);
    const used = process.cpuUsage(cpu);
    cpus.push((used.user + used.system) / 1000);
  }
  cpus.sort((a, b) => a - b);
  return { wallMs: Math.min(...walls), cpuMs: cpus[Math.floor(cpus.length / 2)]! };
}

/** Decodes every record of every batch; returns a checksum so nothing is optimised away. */
function decodeAll(segment: Buffer): number {
  let sum = 0;
  for (const entry of iterateLogEntries(segment)) {
    if (entry.kind !== 'batch') throw new Error(`unexpected ${entry.kind} entry`);
    const batch = decodeRecordBatch(entry.bytes, { verifyCrc: false });
    for (const record of batch.records) sum += record.value!.length + record.headers.length;
  }
  return sum;
}

/** The same walk through `scanRecordBatch`: no objects per record, only what is read. */
function scanAll(segment: Buffer): number {
  let sum = 0;
  for (const entry of iterateLogEntries(segment)) {
    if (entry.kind !== 'batch') throw new Error(`unexpected ${entry.kind} entry`);
    scanRecordBatch(
      entry.bytes,
      (record) => {
        sum += record.valueLength + record.headerCount;
      },
      { verifyCrc: false },
    );
  }
  return sum;
}

function validateAll(segment: Buffer): number {
  let count = 0;
  for (let position = 0; position < segment.length;) {
    const batch = segment.subarray(position);
    const header = validateRecordBatch(batch, { asProduced: true });
    count += header.recordsCount;
    position += header.batchLength + 12;
  }
  return count;
}

await initCompression();
const { logicalBytes, records, segments } = buildSegments();
const uncompressed = segments.get('none')!;
const copyTarget = Buffer.allocUnsafe(uncompressed.length);
const copy = time(() => {
  uncompressed.copy(copyTarget);
});
const rate = (ms: number) => logicalBytes / MB / (ms / 1000);
const copyRate = rate(copy.wallMs);
const baseline = `Buffer.copy of the same ${(logicalBytes / MB).toFixed(1)} MB: ${copyRate.toFixed(0)} MB/s`;
const round = (x: number, digits: number) => Number(x.toFixed(digits));

function report(name: string, timing: Timing, storedBytes: number): void {
  console.log(
    JSON.stringify({
      bench: `codec-decode/${name}`,
      ratio: round(rate(timing.wallMs) / copyRate, 4),
      value: round(rate(timing.wallMs), 1),
      unit: 'MB/s',
      baseline,
      cpuMBps: round(rate(timing.cpuMs), 1),
      recordsPerSecond: Math.round(records / (timing.wallMs / 1000)),
      records,
      logicalMB: round(logicalBytes / MB, 1),
      storedMB: round(storedBytes / MB, 2),
    }),
  );
}

let expected: number | undefined;
for (const [name, segment] of segments) {
  let checksum = 0;
  const timing = time(() => {
    checksum = decodeAll(segment);
  });
  expected ??= checksum;
  if (checksum !== expected) throw new Error(`${name} decoded different records`);
  report(name, timing, segment.length);
}
for (const [name, segment] of segments) {
  let checksum = 0;
  const timing = time(() => {
    checksum = scanAll(segment);
  });
  if (checksum !== expected) throw new Error(`${name} scanned different records`);
  report(`scan-${name}`, timing, segment.length);
}
report(
  'validate',
  time(() => void validateAll(uncompressed)),
  uncompressed.length,
);
