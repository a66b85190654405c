/**
 * log-open: how long opening a data directory takes when it holds 100 partitions of data,
 * against opening an empty one — the floor: LevelDB's own open plus the log's fixed work.
 * Opening reads the topic, partition and segment keys; it never scans the log, so the goal is
 * under 2× the empty open (ratio ≥ 0.5, where ratio = empty open time ÷ full open time). Each
 * partition's tail batch is then checked in the background (each partition serving nothing
 * until its own check is done): `tailsCheckedMs` is when all are.
 *
 * The data: 100 partitions × 10,000 records of 100 bytes (batches of 1,000), 100 MB;
 * BENCH_FULL=1: 100 × 100,000 records, 1 GB. Both directories were closed cleanly. Each is
 * opened and closed REPETITIONS times, alternating; median open times are compared.
 */
import { CommitLog } from '../broker/log/index';
import {
  FULL,
  makeBatches,
  median,
  report,
  round,
  scratchDir,
  timed,
} from '../broker/log/testing/benchSupport';

const PARTITIONS = 100;
const RECORDS_PER_PARTITION = FULL ? 100_000 : 10_000;
const RECORDS_PER_BATCH = 1_000;
const REPETITIONS = 9;

const full = scratchDir('open-full');
const empty = scratchDir('open-empty');
let bytes = 0;
try {
  {
    const log = await CommitLog.open(full.path, { retentionCheckIntervalMs: 0 });
    await log.createTopic('bench', { partitions: PARTITIONS });
    const batchesPerPartition = RECORDS_PER_PARTITION / RECORDS_PER_BATCH;
    // Ten distinct batches, reused: the bytes on disk are what matters here, not their variety.
    const samples = makeBatches(10, RECORDS_PER_BATCH, 100);
    for (let round = 0; round < batchesPerPartition; round++) {
      await Promise.all(
        Array.from({ length: PARTITIONS }, (_, partition) => {
          const batch = Buffer.from(samples[(round + partition) % samples.length]!);
          bytes += batch.length;
          return log.append('bench', partition, batch);
        }),
      );
    }
    await log.close();
    await (await CommitLog.open(empty.path, { retentionCheckIntervalMs: 0 })).close();
  }

  const readyTimes: number[] = [];
  const openAndClose = async (dir: string): Promise<number> => {
    let log: CommitLog | undefined;
    const ms = await timed(async () => {
      log = await CommitLog.open(dir, { retentionCheckIntervalMs: 0 });
    });
    const report = await log!.ready;
    if (dir === full.path) {
      if (log!.listTopics()[0]?.partitions !== PARTITIONS || report.recovered.length > 0) {
        throw new Error('the full data directory did not open cleanly with its partitions');
      }
      readyTimes.push(report.verifiedMs);
    }
    await log!.close();
    return ms;
  };
  const fullTimes: number[] = [];
  const emptyTimes: number[] = [];
  for (let i = 0; i < REPETITIONS; i++) {
    emptyTimes.push(await openAndClose(empty.path));
    fullTimes.push(await openAndClose(full.path));
  }
  const fullMs = median(fullTimes);
  const emptyMs = median(emptyTimes);
  report({
    bench: 'log-open',
    ratio: round(emptyMs / fullMs),
    value: round(fullMs, 1),
    unit: 'ms',
    baseline: `opening an empty data directory: ${round(emptyMs, 1)} ms`,
    timesEmpty: round(fullMs / emptyMs, 2),
    // Open resolves once state is read from keys; the tail batches (one per partition) are
    // checked in the background, each partition serving nothing until its own is done.
    tailsCheckedMs: round(median(readyTimes), 1),
    partitions: PARTITIONS,
    records: PARTITIONS * RECORDS_PER_PARTITION,
    MB: round(bytes / 1e6, 1),
  });
} finally {
  full.remove();
  empty.remove();
}
