/**
 * log-append: appending record batches to the commit log (validation — CRC and record walk —,
 * offset assignment, segment and partition state, one atomic LevelDB batch per append),
 * against a raw classic-level `batch()` of the same batch keys and bytes — the floor: the
 * log cannot write a batch faster than LevelDB takes it.
 *
 * 1,000,000 records of 100 bytes in batches of 1,000 (real v2 batches) to one partition, no
 * sync (acks=1). Two lines: `log-append`, one append at a time (each awaited before the
 * next); `log-append/pipelined`, up to 4 appends in flight on both sides, as a producer with
 * several requests in flight sends them (the log validates the next batch while LevelDB
 * writes the last). Each side runs REPETITIONS times, alternating, each time into a fresh
 * data directory; medians are compared. BENCH_FULL=1 repeats more.
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
const REPETITIONS = FULL ? 9 : 5;

const batches = makeBatches(RECORDS / RECORDS_PER_BATCH, RECORDS_PER_BATCH, VALUE_BYTES);
const totalBytes = batches.reduce((sum, batch) => sum + batch.length, 0);

/** Runs `write(i)` for every batch index, at most `inFlight` at a time, in order. */
async function inOrder(inFlight: number, write: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < batches.length) await write(next++);
    }),
  );
}

async function appendToLog(inFlight: number): Promise<number> {
  const dir = scratchDir('append');
  const log = await CommitLog.open(dir.path, { retentionCheckIntervalMs: 0 });
  await log.createTopic('bench');
  const copies = batches.map((batch) => Buffer.from(batch));
  try {
    return await timed(() => inOrder(inFlight, (i) => log.append('bench', 0, copies[i]!)));
  } finally {
    await log.close();
    dir.remove();
  }
}

async function writeRaw(inFlight: number): Promise<number> {
  const dir = scratchDir('append-raw');
  const db = new ClassicLevel<Buffer, Buffer>(dir.path, DATABASE_OPTIONS);
  await db.open();
  const topicId = newTopicId();
  try {
    return await timed(() =>
      inOrder(inFlight, (i) =>
        db.batch([
          { type: 'put', key: batchKey(topicId, 0, i * RECORDS_PER_BATCH), value: batches[i]! },
        ]),
      ),
    );
  } finally {
    await db.close();
    dir.remove();
  }
}

for (const [name, inFlight] of [
  ['log-append', 1],
  ['log-append/pipelined', 4],
] as const) {
  const logTimes: number[] = [];
  const rawTimes: number[] = [];
  for (let i = 0; i < REPETITIONS; i++) {
    rawTimes.push(await writeRaw(inFlight));
    logTimes.push(await appendToLog(inFlight));
  }
  const logRate = RECORDS / (median(logTimes) / 1000);
  const rawRate = RECORDS / (median(rawTimes) / 1000);
  report({
    bench: name,
    ratio: round(logRate / rawRate),
    value: Math.round(logRate),
    unit: 'records/s',
    baseline: `raw classic-level batch() of the same keys and bytes, ${inFlight} in flight: ${Math.round(rawRate)} records/s`,
    inFlight,
    records: RECORDS,
    batches: batches.length,
    logMBps: round(totalBytes / 1e6 / (median(logTimes) / 1000), 1),
    rawMBps: round(totalBytes / 1e6 / (median(rawTimes) / 1000), 1),
    logMs: Math.round(median(logTimes)),
    rawMs: Math.round(median(rawTimes)),
  });
}
