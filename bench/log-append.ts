/**
 * log-append: appending record batches to the commit log (validation, offset assignment,
 * segment and partition state, one atomic LevelDB batch per append), against a raw
 * classic-level `batch()` of the same keys and bytes — the floor: the log cannot write a
 * batch faster than LevelDB takes it.
 *
 * 1,000,000 records of 100 bytes in batches of 1,000 (real v2 batches), appended one after
 * the other to one partition, no sync (acks=1). Each side runs REPETITIONS times, alternating,
 * each time into a fresh data directory; the medians are compared. BENCH_FULL=1 repeats more.
 */
import { ClassicLevel } from 'classic-level';
import { CommitLog, DATABASE_OPTIONS } from '../broker/log/index';
import { batchKey } from '../broker/log/keys';
import { newTopicId } from '../broker/log/topicId';
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
const REPETITIONS = FULL ? 7 : 3;

const batches = makeBatches(RECORDS / RECORDS_PER_BATCH, RECORDS_PER_BATCH, VALUE_BYTES);
const totalBytes = batches.reduce((sum, batch) => sum + batch.length, 0);

async function appendToLog(): Promise<number> {
  const dir = scratchDir('append');
  const log = await CommitLog.open(dir.path, { retentionCheckIntervalMs: 0 });
  await log.createTopic('bench');
  const copies = batches.map((batch) => Buffer.from(batch));
  try {
    return await timed(async () => {
      for (const batch of copies) await log.append('bench', 0, batch);
    });
  } finally {
    await log.close();
    dir.remove();
  }
}

async function writeRaw(): Promise<number> {
  const dir = scratchDir('append-raw');
  const db = new ClassicLevel<Buffer, Buffer>(dir.path, DATABASE_OPTIONS);
  await db.open();
  const topicId = newTopicId();
  let offset = 0;
  const operations = batches.map((value) => {
    const key = batchKey(topicId, 0, offset);
    offset += RECORDS_PER_BATCH;
    return { type: 'put' as const, key, value };
  });
  try {
    return await timed(async () => {
      for (const operation of operations) await db.batch([operation]);
    });
  } finally {
    await db.close();
    dir.remove();
  }
}

const logTimes: number[] = [];
const rawTimes: number[] = [];
for (let i = 0; i < REPETITIONS; i++) {
  rawTimes.push(await writeRaw());
  logTimes.push(await appendToLog());
}
const logRate = RECORDS / (median(logTimes) / 1000);
const rawRate = RECORDS / (median(rawTimes) / 1000);
report({
  bench: 'log-append',
  ratio: round(logRate / rawRate),
  value: Math.round(logRate),
  unit: 'records/s',
  baseline: `raw classic-level batch() of the same keys and bytes: ${Math.round(rawRate)} records/s`,
  records: RECORDS,
  batches: batches.length,
  MB: round(totalBytes / 1e6, 1),
  logMBps: round(totalBytes / 1e6 / (median(logTimes) / 1000), 1),
  rawMBps: round(totalBytes / 1e6 / (median(rawTimes) / 1000), 1),
  logMs: logTimes.map((ms) => Math.round(ms)),
  rawMs: rawTimes.map((ms) => Math.round(ms)),
});
