/**
 * log-read: reading a partition back from the start, fetch by fetch (1 MiB per read, whole
 * batches, as a consumer fetches), against a raw classic-level iterator over the same keys —
 * the floor: the log cannot hand out stored batches faster than LevelDB iterates them.
 *
 * The data: 1,000,000 records of 100 bytes in batches of 1,000, appended through the log
 * once. Both sides read the same data directory, after one warm-up each, alternating,
 * REPETITIONS times each; medians are compared. BENCH_FULL=1 repeats more.
 */
import { ClassicLevel } from 'classic-level';
import { CommitLog, DATABASE_OPTIONS } from '../broker/log/index';
import { Prefix, partitionPrefix, prefixRange } from '../broker/log/keys';
import { topicIdFromString } from '../broker/log/topicId';
import {
  FULL,
  makeBatches,
  median,
  report,
  round,
  scratchDir,
  timed,
} from '../broker/log/testing/benchSupport';

const RECORDS = 1_000_000;
const RECORDS_PER_BATCH = 1_000;
const VALUE_BYTES = 100;
const FETCH_BYTES = 1024 * 1024;
const REPETITIONS = FULL ? 21 : 11;

const dir = scratchDir('read');
let totalBytes = 0;
let topicId: Buffer;
{
  const log = await CommitLog.open(dir.path, { retentionCheckIntervalMs: 0 });
  topicId = topicIdFromString((await log.createTopic('bench')).id)!;
  for (const batch of makeBatches(RECORDS / RECORDS_PER_BATCH, RECORDS_PER_BATCH, VALUE_BYTES)) {
    totalBytes += batch.length;
    await log.append('bench', 0, batch);
  }
  await log.close();
}

async function readThroughLog(): Promise<number> {
  const log = await CommitLog.open(dir.path, { retentionCheckIntervalMs: 0 });
  let bytes = 0;
  try {
    const ms = await timed(async () => {
      let offset = 0;
      for (;;) {
        const { batches } = await log.read('bench', 0, offset, FETCH_BYTES);
        if (batches.length === 0) break;
        for (const batch of batches) bytes += batch.length;
        const last = batches.at(-1)!;
        offset = Number(last.readBigInt64BE(0)) + last.readInt32BE(23) + 1;
      }
    });
    if (bytes !== totalBytes) throw new Error(`log read ${bytes} bytes of ${totalBytes}`);
    return ms;
  } finally {
    await log.close();
  }
}

async function iterateRaw(): Promise<number> {
  const db = new ClassicLevel<Buffer, Buffer>(dir.path, DATABASE_OPTIONS);
  await db.open();
  let bytes = 0;
  try {
    const ms = await timed(async () => {
      const range = prefixRange(partitionPrefix(Prefix.batch, topicId, 0));
      for await (const value of db.values({ ...range, highWaterMarkBytes: FETCH_BYTES })) {
        bytes += value.length;
      }
    });
    if (bytes !== totalBytes) throw new Error(`raw read ${bytes} bytes of ${totalBytes}`);
    return ms;
  } finally {
    await db.close();
  }
}

const logTimes: number[] = [];
const rawTimes: number[] = [];
try {
  await iterateRaw(); // warm-up: page cache, JIT
  await readThroughLog();
  for (let i = 0; i < REPETITIONS; i++) {
    rawTimes.push(await iterateRaw());
    logTimes.push(await readThroughLog());
  }
} finally {
  dir.remove();
}
const logRate = RECORDS / (median(logTimes) / 1000);
const rawRate = RECORDS / (median(rawTimes) / 1000);
report({
  bench: 'log-read',
  ratio: round(logRate / rawRate),
  value: Math.round(logRate),
  unit: 'records/s',
  baseline: `raw classic-level iterator over the same keys: ${Math.round(rawRate)} records/s`,
  records: RECORDS,
  fetchBytes: FETCH_BYTES,
  logMBps: round(totalBytes / 1e6 / (median(logTimes) / 1000), 1),
  rawMBps: round(totalBytes / 1e6 / (median(rawTimes) / 1000), 1),
  logMs: Math.round(median(logTimes)),
  rawMs: Math.round(median(rawTimes)),
});
