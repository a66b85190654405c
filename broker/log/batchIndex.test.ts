import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Offsets } from '../protocol/records/recordBatchHeader';
import { BatchIndexBudget, PartitionBatchIndex, SegmentBatchOffsets } from './batchIndex';
import { CommitLog, type CommitLogOptions } from './commitLog';
import { buildBatch, sampleRecords } from './testing/recordBatches';
import { damageLastStoredBatch } from './testing/storedBatches';

describe('SegmentBatchOffsets', () => {
  it('finds the batch holding an offset: the greatest base offset at or before it', () => {
    const offsets = new SegmentBatchOffsets();
    for (let i = 0; i < 1000; i++) offsets.push(10 + i * 3); // grows past its first capacity
    expect(offsets.floor(9)).toBe(-1);
    expect(offsets.floor(10)).toBe(10);
    expect(offsets.floor(12)).toBe(10);
    expect(offsets.floor(13)).toBe(13);
    expect(offsets.floor(10 + 999 * 3 + 100)).toBe(10 + 999 * 3);
    expect(offsets.length).toBe(1000);
  });

  it('refuses a base offset that does not follow the last one', () => {
    const offsets = new SegmentBatchOffsets();
    offsets.push(5);
    expect(() => offsets.push(5)).toThrow(/does not follow 5/);
  });
});

describe('PartitionBatchIndex', () => {
  it('indexes a segment created since open from its first append, not one it did not see begin', () => {
    const index = new PartitionBatchIndex(new BatchIndexBudget());
    index.appended(0, 0, false); // a segment from before open: its earlier batches are unknown
    index.appended(0, 4, false);
    index.appended(8, 8, true);
    index.appended(8, 11, false);
    expect(index.snapshot()).toEqual(new Map([[8, [8, 11]]]));
    expect(index.lookup(0, 5)).toBeUndefined();
    expect(index.lookup(8, 10)).toBe(8);
    expect(index.lookup(8, 20)).toBe(11);
  });

  it('a build adds the appends that committed while it read, after what it read', async () => {
    const index = new PartitionBatchIndex(new BatchIndexBudget());
    let finish: (offsets: number[]) => void = () => {};
    const build = index.build(0, () => new Promise((resolve) => (finish = resolve)));
    index.appended(0, 6, false);
    expect(index.lookup(0, 6)).toBeUndefined(); // not usable until complete
    finish([0, 3]);
    await build;
    expect(index.snapshot()).toEqual(new Map([[0, [0, 3, 6]]]));
  });

  it('a segment dropped while its build reads stays dropped', async () => {
    const index = new PartitionBatchIndex(new BatchIndexBudget());
    let finish: (offsets: number[]) => void = () => {};
    const build = index.build(0, () => new Promise((resolve) => (finish = resolve)));
    index.dropBelow(10); // retention deleted the segment
    finish([0, 3]);
    await build;
    expect(index.snapshot()).toEqual(new Map());
  });

  it('builds only once reads keep landing in a segment', () => {
    const index = new PartitionBatchIndex(new BatchIndexBudget());
    expect(index.wantsBuild(0)).toBe(false);
    expect(index.wantsBuild(0)).toBe(true);
    expect(index.wantsBuild(100)).toBe(false);
  });

  it('keeps at most the budget, dropping the least recently read segments of any partition', () => {
    const budget = new BatchIndexBudget(5);
    const first = new PartitionBatchIndex(budget);
    const second = new PartitionBatchIndex(budget);
    first.appended(0, 0, true);
    first.appended(0, 1, true);
    second.appended(0, 0, true);
    second.appended(0, 1, true);
    first.lookup(0, 1); // the first partition's segment is now the more recently read
    second.appended(2, 2, true);
    second.appended(2, 3, true); // 6 batches: over the budget
    expect(second.snapshot()).toEqual(new Map([[2, [2, 3]]]));
    expect(first.snapshot()).toEqual(new Map([[0, [0, 1]]]));
    expect(budget.indexedBatches).toBe(4);
    first.clear();
    expect(budget.indexedBatches).toBe(2);
  });
});

describe('the batch index of a partition log', () => {
  let dir: string;
  let log: CommitLog | undefined;
  let now = 1_000_000;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'logscope-index-'));
    now = 1_000_000;
  });

  afterEach(async () => {
    await log?.close();
    log = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  async function open(options: CommitLogOptions = {}): Promise<CommitLog> {
    await log?.close();
    log = await CommitLog.open(dir, { retentionCheckIntervalMs: 0, now: () => now, ...options });
    await log.ready;
    return log;
  }

  const batchOf = (count: number, seed: number) => buildBatch(sampleRecords(count, 30, seed, now));
  const baseOf = (batch: Buffer) => Number(batch.readBigInt64BE(Offsets.baseOffset));
  const lastOf = (batch: Buffer) => baseOf(batch) + batch.readInt32BE(Offsets.lastOffsetDelta);

  /** The base offsets stored in each segment, read through a forward scan (no index). */
  async function storedBySegment(log: CommitLog): Promise<Map<number, number[]>> {
    const { logStartOffset, logEndOffset } = log.partitionSummary('t', 0);
    const bases =
      logStartOffset === logEndOffset
        ? []
        : (await log.read('t', 0, logStartOffset, 1 << 30)).batches.map(baseOf);
    const segments = log.segments('t', 0).map((segment) => segment.baseOffset);
    return new Map(
      segments.map((base, i) => [
        base,
        bases.filter((b) => b >= base && b < (segments[i + 1] ?? Infinity)),
      ]),
    );
  }

  /** Every offset of the log, read alone (1 byte: no cursor, so through the index). */
  async function expectEveryOffsetReadsItsBatch(log: CommitLog): Promise<void> {
    const { logStartOffset, logEndOffset } = log.partitionSummary('t', 0);
    for (let offset = logStartOffset; offset < logEndOffset; offset++) {
      const { batches } = await log.read('t', 0, offset, 1);
      expect(batches).toHaveLength(1);
      expect(baseOf(batches[0]!)).toBeLessThanOrEqual(offset);
      expect(lastOf(batches[0]!)).toBeGreaterThanOrEqual(offset);
    }
  }

  it('follows appends across segment rolls', async () => {
    const log = await open();
    const one = await batchOf(3, 0);
    await log.createTopic('t', { configs: { 'segment.bytes': String(one.length * 2) } });
    for (let i = 0; i < 7; i++) await log.append('t', 0, await batchOf(1 + (i % 3), i));
    const stored = await storedBySegment(log);
    expect(stored.size).toBeGreaterThan(2);
    expect(await log.indexedBatches('t', 0)).toEqual(stored);
    await expectEveryOffsetReadsItsBatch(log);
  });

  it('a read without a cursor gets one batch when about one fits, and reads on when more do', async () => {
    const log = await open();
    const small = await batchOf(2, 0);
    await log.createTopic('t', { configs: { 'segment.bytes': String(small.length * 4) } });
    for (let i = 0; i < 4; i++) await log.append('t', 0, await batchOf(2, i));
    // The newest segment holds batches far larger than the first one's.
    for (let i = 0; i < 2; i++) await log.append('t', 0, await batchOf(200, i));
    expect((await log.read('t', 0, 1, small.length + 1)).batches).toHaveLength(1);
    expect((await log.read('t', 0, 3, small.length * 3)).batches.map(baseOf)).toEqual([2, 4, 6]);
  });

  it('forgets the segments retention deletes and follows the new log start', async () => {
    const log = await open();
    await log.createTopic('t', { configs: { 'segment.ms': '1', 'retention.ms': '1000' } });
    for (let i = 0; i < 4; i++) {
      now += 10;
      await log.append('t', 0, await batchOf(2, i));
    }
    now += 1000 - 19; // the first two segments are now expired
    await log.runRetention();
    expect(log.partitionSummary('t', 0).logStartOffset).toBe(4);
    expect(await log.indexedBatches('t', 0)).toEqual(await storedBySegment(log));
    await expectEveryOffsetReadsItsBatch(log);

    await log.deleteRecords('t', 0, -1); // every segment goes
    expect(await log.indexedBatches('t', 0)).toEqual(new Map());
    await log.append('t', 0, await batchOf(2, 9));
    expect(await log.indexedBatches('t', 0)).toEqual(new Map([[8, [8]]]));
    await expectEveryOffsetReadsItsBatch(log);
  });

  it('is built after a restart once reads keep landing in a segment, appends meanwhile included', async () => {
    let log = await open();
    const one = await batchOf(3, 0);
    await log.createTopic('t', { configs: { 'segment.bytes': String(one.length * 3) } });
    for (let i = 0; i < 8; i++) await log.append('t', 0, await batchOf(3, i));
    log = await open();
    expect(await log.indexedBatches('t', 0)).toEqual(new Map());

    const segments = log.segments('t', 0);
    const active = segments.at(-1)!.baseOffset;
    // Two reads without a cursor in the first and in the active segment start their builds;
    // an append to the active segment commits while its keys are read.
    await log.read('t', 0, 1, 1);
    await log.read('t', 0, 4, 1);
    await log.read('t', 0, active, 1);
    const reads = log.read('t', 0, active + 1, 1);
    const append = log.append('t', 0, await batchOf(2, 8));
    await Promise.all([reads, append]);
    const stored = await storedBySegment(log);
    expect(await log.indexedBatches('t', 0)).toEqual(
      new Map([
        [0, stored.get(0)],
        [active, stored.get(active)],
      ]),
    );
    expect(stored.get(active)).toContain(24);
    await expectEveryOffsetReadsItsBatch(log);
  });

  it('is dropped when open cuts a damaged tail, and built again from what is left', async () => {
    let log = await open();
    await log.createTopic('t');
    for (let i = 0; i < 3; i++) await log.append('t', 0, await batchOf(3, i), { durable: true });
    await log.close();
    // Damage the last batch behind the log's back.
    await damageLastStoredBatch(dir);

    // Read-only: the damaged batch stays stored, beyond the log end: the index must stop before it.
    log = await open({ readOnly: true });
    expect(log.partitionSummary('t', 0).logEndOffset).toBe(6);
    await log.read('t', 0, 0, 1);
    await log.read('t', 0, 4, 1);
    expect(await log.indexedBatches('t', 0)).toEqual(new Map([[0, [0, 3]]]));
    await expectEveryOffsetReadsItsBatch(log);

    log = await open();
    await log.append('t', 0, await batchOf(4, 9)); // takes the offsets the cut freed
    await log.read('t', 0, 7, 1);
    await log.read('t', 0, 8, 1);
    expect(await log.indexedBatches('t', 0)).toEqual(new Map([[0, [0, 3, 6]]]));
    await expectEveryOffsetReadsItsBatch(log);
  });
});
