/**
 * offline-scan: how fast the offline reader validates and decodes a Kafka segment file —
 * every batch's CRC checked and every record built, through the same fetch path the message
 * browser pages with — against reading the same file with `fs.read` into a buffer (the floor:
 * nothing reads the file faster). 256 MB by default, 1 GiB with BENCH_FULL=1; the file is
 * read once before timing so both sides run from the page cache.
 *
 * Three lines (DESIGN.md, "Performance method"), value = MB/s, ratio = ÷ fs.read:
 * `offline-scan` validates and decodes: every CRC checked and every record visited with
 * scanRecordBatch (lengths, varints; keys, values and headers only located, decoded when
 * asked); `offline-scan/validate` is what `logscope dump --validate` and the segments view do
 * (framing and every CRC, records not visited); `offline-scan/browse` builds every record as
 * the message browser gets it (objects per record, through PartitionReader.fetch). `crc32c`
 * says whether the native CRC-32C ran (engine/sources/offline/batchCrc.ts).
 */
import { open, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initCompression, scanRecordBatch } from '../broker/protocol/records/index';
import { crc32cImplementation } from '../engine/sources/offline/batchCrc';
import { walkSegment } from '../engine/sources/offline/segmentWalk';
import { openOfflineSource } from '../engine/sources/offline/openOfflineSource';
import { writeBenchSegment } from './_offlineSegment';

const FULL = process.env.BENCH_FULL === '1';
const TARGET = (FULL ? 1024 : 256) * 1024 * 1024;
const MB = 1_000_000;

async function readWhole(path: string): Promise<number> {
  const handle = await open(path, 'r');
  const buffer = Buffer.allocUnsafe(8 * 1024 * 1024);
  let total = 0;
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, total);
      if (bytesRead === 0) return total;
      total += bytesRead;
    }
  } finally {
    await handle.close();
  }
}

async function scan(path: string): Promise<number> {
  const source = await openOfflineSource(path);
  try {
    const [bounds] = await source.offsets('bench');
    let offset = bounds!.logStartOffset;
    let records = 0;
    while (offset < bounds!.highWatermark) {
      const fetched = (
        await source.fetch('bench', [{ partition: 0, offset, maxBytes: 8 * 1024 * 1024 }])
      ).get(0)!;
      records += fetched.records.length;
      offset = fetched.nextOffset;
    }
    return records;
  } finally {
    await source.close();
  }
}

async function validate(path: string, size: number, decode: boolean): Promise<number> {
  const handle = await open(path, 'r');
  let records = 0;
  try {
    const walk = await walkSegment(handle, 'bench', size, {
      verifyCrc: true,
      ...(decode
        ? {
            onEntry: (entry) => {
              if (entry.kind === 'batch')
                scanRecordBatch(entry.bytes, () => records++, {
                  verifyCrc: false,
                  header: entry.header,
                });
            },
          }
        : {}),
    });
    if (walk.damage.length > 0) throw new Error('damage in the benchmark segment');
    return decode ? records : walk.records;
  } finally {
    await handle.close();
  }
}

const root = await mkdtemp(join(tmpdir(), 'logscope-bench-offline-'));
try {
  await initCompression();
  const segment = await writeBenchSegment(root, TARGET);
  await readWhole(segment.log); // into the page cache
  const floorTimes: number[] = [];
  const scanTimes: number[] = [];
  const validateTimes: number[] = [];
  const crcOnlyTimes: number[] = [];
  for (let i = 0; i < 3; i++) {
    let started = performance.now();
    await readWhole(segment.log);
    floorTimes.push(performance.now() - started);
    started = performance.now();
    const validated = await validate(segment.log, segment.bytes, true);
    validateTimes.push(performance.now() - started);
    if (validated !== segment.records) throw new Error(`validated ${validated} records`);
    started = performance.now();
    const checked = await validate(segment.log, segment.bytes, false);
    crcOnlyTimes.push(performance.now() - started);
    if (checked !== segment.records) throw new Error(`checked ${checked} records`);
    if (i > 0 && !FULL) continue; // the browse path is slow: once is enough by default
    started = performance.now();
    const records = await scan(segment.dir);
    scanTimes.push(performance.now() - started);
    if (records !== segment.records)
      throw new Error(`scanned ${records} records, wrote ${segment.records}`);
  }
  const floor = segment.bytes / MB / (Math.min(...floorTimes) / 1000);
  const rate = (times: number[]) => segment.bytes / MB / (Math.min(...times) / 1000);
  const validateValue = rate(validateTimes);
  console.log(
    JSON.stringify({
      bench: 'offline-scan',
      ratio: Number((validateValue / floor).toFixed(3)),
      value: Math.round(validateValue),
      unit: 'MB/s',
      baseline: `fs.read of the same ${Math.round(segment.bytes / MB)} MB segment: ${Math.round(floor)} MB/s`,
      records: segment.records,
      compression: 'none',
      crc32c: crc32cImplementation(),
    }),
  );
  const crcOnly = rate(crcOnlyTimes);
  console.log(
    JSON.stringify({
      bench: 'offline-scan/validate',
      ratio: Number((crcOnly / floor).toFixed(3)),
      value: Math.round(crcOnly),
      unit: 'MB/s',
      baseline: `fs.read of the same ${Math.round(segment.bytes / MB)} MB segment: ${Math.round(floor)} MB/s`,
      records: segment.records,
      compression: 'none',
      crc32c: crc32cImplementation(),
    }),
  );
  const value = rate(scanTimes);
  console.log(
    JSON.stringify({
      bench: 'offline-scan/browse',
      ratio: Number((value / floor).toFixed(3)),
      value: Math.round(value),
      unit: 'MB/s',
      baseline: `fs.read of the same ${Math.round(segment.bytes / MB)} MB segment: ${Math.round(floor)} MB/s`,
      records: segment.records,
      compression: 'none',
    }),
  );
} finally {
  await rm(root, { recursive: true, force: true });
}
