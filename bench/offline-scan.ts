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
 * says whether the native CRC-32C ran (engine/sources/offline/batchCrc.ts). The first two
 * check CRCs on a worker thread one chunk ahead of the walk (crcWorker.ts), as the product
 * does: they count on a second core, and read low on a loaded machine (compare `cpu`).
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

interface Run {
  wall: number;
  cpu: number;
}

async function measure<T>(runs: Run[], run: () => Promise<T>): Promise<T> {
  // Garbage left by an earlier run (the browse path's millions of records) is collected
  // before, not charged to whichever run comes next. bench.mjs runs with --expose-gc.
  (globalThis as { gc?: () => void }).gc?.();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await run();
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  runs.push({ wall, cpu: (used.user + used.system) / 1000 });
  return result;
}

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
  // Wall time and CPU time (all threads: this one, the CRC worker, libuv's readers) per run.
  const floorTimes: Run[] = [];
  const scanTimes: Run[] = [];
  const validateTimes: Run[] = [];
  const crcOnlyTimes: Run[] = [];
  for (let i = 0; i < 5; i++) {
    await measure(floorTimes, () => readWhole(segment.log));
    const validated = await measure(validateTimes, () =>
      validate(segment.log, segment.bytes, true),
    );
    if (validated !== segment.records) throw new Error(`validated ${validated} records`);
    const checked = await measure(crcOnlyTimes, () => validate(segment.log, segment.bytes, false));
    if (checked !== segment.records) throw new Error(`checked ${checked} records`);
    if (i > 0 && !FULL) continue; // the browse path is slow: once is enough by default
    if (i > 2) continue;
    const records = await measure(scanTimes, () => scan(segment.dir));
    if (records !== segment.records)
      throw new Error(`scanned ${records} records, wrote ${segment.records}`);
  }
  const best = (runs: Run[]) => runs.reduce((a, b) => (b.wall < a.wall ? b : a));
  const floor = segment.bytes / MB / (best(floorTimes).wall / 1000);
  const rate = (runs: Run[]) => segment.bytes / MB / (best(runs).wall / 1000);
  const cpu = (runs: Run[]) =>
    `${Math.round(best(runs).cpu)} ms CPU in all threads (fs.read: ${Math.round(best(floorTimes).cpu)} ms)`;
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
      cpu: cpu(validateTimes),
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
      cpu: cpu(crcOnlyTimes),
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
