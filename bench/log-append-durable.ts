/**
 * log-append-durable: 8 concurrent writers (one partition each), every append durable
 * (acks=-1: acknowledged only after a synced write), with group commit — concurrent durable
 * appends share one sync — against the same with one sync per append, one after the other.
 * The ratio is how many times more appends per second group commit buys.
 *
 * Each writer appends batches of 100 records of 100 bytes, awaiting each append before the
 * next, as a producer with one request in flight does. Sizes: 8 × 150 appends by default,
 * 8 × 1,000 with BENCH_FULL=1; REPETITIONS runs each, alternating; medians compared.
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

const WRITERS = 8;
const APPENDS_PER_WRITER = FULL ? 1_000 : 150;
const RECORDS_PER_BATCH = 100;
const REPETITIONS = FULL ? 5 : 3;

const batches = makeBatches(WRITERS * APPENDS_PER_WRITER, RECORDS_PER_BATCH, 100);

async function run(groupCommit: boolean): Promise<{ ms: number; syncs: number }> {
  const dir = scratchDir('durable');
  const log = await CommitLog.open(dir.path, { retentionCheckIntervalMs: 0, groupCommit });
  await log.createTopic('bench', { partitions: WRITERS });
  const copies = batches.map((batch) => Buffer.from(batch));
  const before = log.syncStats.syncs;
  try {
    const ms = await timed(() =>
      Promise.all(
        Array.from({ length: WRITERS }, async (_, writer) => {
          for (let i = 0; i < APPENDS_PER_WRITER; i++) {
            await log.append('bench', writer, copies[writer * APPENDS_PER_WRITER + i]!, {
              durable: true,
            });
          }
        }),
      ),
    );
    return { ms, syncs: log.syncStats.syncs - before };
  } finally {
    await log.close();
    dir.remove();
  }
}

const grouped: { ms: number; syncs: number }[] = [];
const single: { ms: number; syncs: number }[] = [];
for (let i = 0; i < REPETITIONS; i++) {
  single.push(await run(false));
  grouped.push(await run(true));
}
const appends = WRITERS * APPENDS_PER_WRITER;
const groupedRate = appends / (median(grouped.map((r) => r.ms)) / 1000);
const singleRate = appends / (median(single.map((r) => r.ms)) / 1000);
report({
  bench: 'log-append-durable',
  ratio: round(groupedRate / singleRate, 2),
  value: Math.round(groupedRate),
  unit: 'appends/s',
  baseline: `one sync per append, in turn: ${Math.round(singleRate)} appends/s`,
  writers: WRITERS,
  appends,
  recordsPerAppend: RECORDS_PER_BATCH,
  appendsPerSync: round(appends / median(grouped.map((r) => r.syncs)), 2),
  recordsPerSecond: Math.round(groupedRate * RECORDS_PER_BATCH),
  groupedMs: Math.round(median(grouped.map((r) => r.ms))),
  singleMs: Math.round(median(single.map((r) => r.ms))),
});
