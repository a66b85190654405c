/**
 * log-retention: how long retention takes to drop closed segments — the log's retention pass
 * (segment and partition records, time index entries, then a range delete of the batches and
 * a compaction of that range so LevelDB gives the disk space back) — against a raw
 * classic-level `clear()` + `compactRange()` of the same batch keys in an identical copy of
 * the data directory (the floor: LevelDB's own cost of deleting that range).
 *
 * The data: one partition, 16 MiB segments, 256 MiB of batches (1,000 records of 100 bytes
 * each) by default, 1 GiB with BENCH_FULL=1. Retention (retention.bytes) keeps only the
 * active segment. Prints MB/s of segments dropped.
 */
import { cpSync } from 'node:fs';
import { ClassicLevel } from 'classic-level';
import { CommitLog, DATABASE_OPTIONS } from '../broker/log/index';
import { batchKey } from '../broker/log/keys';
import { topicIdFromString } from '../broker/log/topicId';
import {
  FULL,
  makeBatches,
  report,
  round,
  scratchDir,
  timed,
} from '../broker/log/testing/benchSupport';

const TARGET_BYTES = (FULL ? 1024 : 256) * 1024 * 1024;
const SEGMENT_BYTES = 16 * 1024 * 1024;

const dir = scratchDir('retention');
const copy = scratchDir('retention-raw');
try {
  let topicId: Buffer;
  let activeBase: number;
  let droppedBytes: number;
  {
    const log = await CommitLog.open(dir.path, { retentionCheckIntervalMs: 0 });
    const topic = await log.createTopic('bench', {
      configs: { 'segment.bytes': String(SEGMENT_BYTES), 'retention.ms': '-1' },
    });
    topicId = topicIdFromString(topic.id)!;
    const samples = makeBatches(16, 1_000, 100);
    for (let i = 0; log.partitionSummary('bench', 0).bytes < TARGET_BYTES; i++) {
      await log.append('bench', 0, Buffer.from(samples[i % samples.length]!));
    }
    const segments = log.segments('bench', 0);
    const active = segments.at(-1)!;
    activeBase = active.baseOffset;
    droppedBytes = segments.slice(0, -1).reduce((sum, segment) => sum + segment.bytes, 0);
    await log.alterConfigs('bench', { set: { 'retention.bytes': String(active.bytes) } });
    await log.close();
  }
  cpSync(dir.path, copy.path, { recursive: true });

  const log = await CommitLog.open(dir.path, { retentionCheckIntervalMs: 0 });
  await log.ready;
  let dropped = 0;
  const logMs = await timed(async () => {
    const [result] = await log.runRetention();
    dropped = result?.segments ?? 0;
    await log.idle(); // the range delete and compaction
  });
  if (log.partitionSummary('bench', 0).logStartOffset !== activeBase) {
    throw new Error('retention did not drop the closed segments');
  }
  await log.close();

  const db = new ClassicLevel<Buffer, Buffer>(copy.path, DATABASE_OPTIONS);
  await db.open();
  const rawMs = await timed(async () => {
    const range = { gte: batchKey(topicId, 0, 0), lt: batchKey(topicId, 0, activeBase) };
    await db.clear(range);
    await db.compactRange(range.gte, range.lt);
  });
  await db.close();

  const MB = droppedBytes / 1e6;
  report({
    bench: 'log-retention',
    ratio: round(rawMs / logMs),
    value: round(MB / (logMs / 1000), 1),
    unit: 'MB/s',
    baseline: `raw classic-level clear() + compactRange() of the same keys: ${round(MB / (rawMs / 1000), 1)} MB/s`,
    droppedMB: round(MB, 1),
    segments: dropped,
    logMs: Math.round(logMs),
    rawMs: Math.round(rawMs),
  });
} finally {
  dir.remove();
  copy.remove();
}
