/**
 * offline-seek: time to the first page at a random offset of a large Kafka segment opened
 * offline (open, find the partition's end, find the batch, read and decode one page of
 * 64 KiB), with a valid `.index` and without one (then the reader walks the file once to build
 * its own sparse index). 256 MB by default, 1 GiB with BENCH_FULL=1; page cache warm.
 *
 * Prints two lines, {"bench":"offline-seek/index"} and {"bench":"offline-seek/no-index"}:
 * value = median milliseconds over 5 random offsets, ratio = with index ÷ without.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openOfflineSource } from '../engine/sources/offline/openOfflineSource';
import { writeBenchSegment } from './_offlineSegment';

const FULL = process.env.BENCH_FULL === '1';
const TARGET = (FULL ? 1024 : 256) * 1024 * 1024;

let seed = 12345;
const random = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 2 ** 32;
};

async function firstPage(path: string, offset: number): Promise<number> {
  const started = performance.now();
  const source = await openOfflineSource(path);
  try {
    await source.offsets('bench');
    const page = (await source.fetch('bench', [{ partition: 0, offset, maxBytes: 64 * 1024 }])).get(
      0,
    )!;
    if (page.records[0]?.offset !== offset)
      throw new Error(`page at ${offset} starts at ${page.records[0]?.offset}`);
    return performance.now() - started;
  } finally {
    await source.close();
  }
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const root = await mkdtemp(join(tmpdir(), 'logscope-bench-seek-'));
try {
  const segment = await writeBenchSegment(root, TARGET);
  const withIndex: number[] = [];
  const withoutIndex: number[] = [];
  // The same file without an index: a segment file opened alone has no .index beside it.
  const offsets = Array.from({ length: 5 }, () => Math.floor(random() * segment.records));
  for (const offset of offsets) {
    withIndex.push(await firstPage(segment.dir, offset));
    withoutIndex.push(await firstPage(segment.log, offset));
  }
  const indexed = median(withIndex);
  const walked = median(withoutIndex);
  const mb = Math.round(segment.bytes / 1_000_000);
  console.log(
    JSON.stringify({
      bench: 'offline-seek/index',
      ratio: Number((indexed / walked).toFixed(4)),
      value: Number(indexed.toFixed(2)),
      unit: 'ms',
      baseline: `the same seek without .index (the file walked): ${walked.toFixed(1)} ms; ${mb} MB segment`,
    }),
  );
  console.log(
    JSON.stringify({
      bench: 'offline-seek/no-index',
      ratio: 1,
      value: Number(walked.toFixed(1)),
      unit: 'ms',
      baseline: `${mb} MB segment walked once to build the sparse index`,
    }),
  );
} finally {
  await rm(root, { recursive: true, force: true });
}
