/**
 * offline-scan: how fast the offline reader validates and decodes a Kafka segment file —
 * every batch's CRC checked and every record built, through the same fetch path the message
 * browser pages with — against reading the same file with `fs.read` into a buffer (the floor:
 * nothing reads the file faster). 256 MB by default, 1 GiB with BENCH_FULL=1; the file is
 * read once before timing so both sides run from the page cache.
 *
 * Two lines (DESIGN.md, "Performance method"): `offline-scan` is the validating walk (every
 * CRC, every record visited with scanRecordBatch: what `logscope dump --validate` and the
 * segments view do), `offline-scan/browse` builds every record as the message browser gets
 * it (objects per record, through PartitionReader.fetch). value = MB/s, ratio = ÷ fs.read.
 */
import { open, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initCompression, scanRecordBatch } from '../broker/protocol/records/index';
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

async function validate(path: string, size: number): Promise<number> {
  const handle = await open(path, 'r');
  let records = 0;
  try {
    const walk = await walkSegment(handle, 'bench', size, {
      verifyCrc: true,
      onEntry: (entry) => {
        if (entry.kind === 'batch')
          scanRecordBatch(entry.bytes, () => records++, { verifyCrc: false });
      },
    });
    if (walk.damage.length > 0) throw new Error('damage in the benchmark segment');
    return records;
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
  for (let i = 0; i < 3; i++) {
    let started = performance.now();
    await readWhole(segment.log);
    floorTimes.push(performance.now() - started);
    started = performance.now();
    const validated = await validate(segment.log, segment.bytes);
    validateTimes.push(performance.now() - started);
    if (validated !== segment.records) throw new Error(`validated ${validated} records`);
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
