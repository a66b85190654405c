/**
 * One partition's log: its state in memory (from the `P` and `S` keys), the queue that
 * serializes its appends and maintenance, and its reads.
 *
 * Appends to one partition run one write at a time, in arrival order; appends that arrive
 * while a write is in flight are written together in the next one (one LevelDB batch: their
 * batches, the segment records they touch and the partition state). Different partitions
 * proceed concurrently. State in memory advances only after the write succeeded, so a failed
 * write leaves the partition as it was, readable, with nothing acknowledged lost.
 */
import {
  Offsets,
  RECORD_BATCH_HEADER_SIZE,
  LOG_OVERHEAD,
  isRecordBatchCrcValid,
  setBaseOffset,
  setLogAppendTime,
} from '../protocol/records/recordBatchHeader';
import { PartitionBatchIndex, type BatchIndexBudget } from './batchIndex';
import type { CheckedBatch } from './batchValidation';
import { firstRecordAtOrAfter, readyToDecode } from './batchValidation';
import type { ValueIterator } from 'classic-level';
import type { Database } from './database';
import { LogError, storageError } from './errors';
import type { GroupCommit, WriteOperation } from './groupCommit';
import {
  Prefix,
  batchKey,
  decodeTimeIndexKey,
  offsetOfBatchKey,
  partitionKey,
  partitionPrefix,
  prefixRange,
  segmentKey,
  timeIndexKey,
} from './keys';
import type { PartitionRecord, SegmentRecord } from './partitionState';
import { encodePartitionRecord, encodeSegmentRecord } from './partitionState';
import type { TopicConfig } from './topicConfig';

/** What an append returns (Kafka's ProduceResponse fields for the partition). */
export interface AppendResult {
  baseOffset: number;
  /** The broker's append time for LogAppendTime topics, else -1 (as in Kafka). */
  logAppendTime: number;
  logStartOffset: number;
}

/** What a read returns (Kafka's FetchResponse fields for the partition). */
export interface ReadResult {
  /** Whole record batches, as stored (base offset filled in), in offset order. */
  batches: Buffer[];
  /** Sum of the batches' sizes. */
  bytes: number;
  highWatermark: number;
  /** No transactions are tracked: the last stable offset is the high watermark. */
  lastStableOffset: number;
  logStartOffset: number;
}

/** A segment as the admin API lists it. */
export interface SegmentInfo extends Omit<SegmentRecord, 'lastBatchOffset'> {
  active: boolean;
}

export interface PartitionSummary {
  logStartOffset: number;
  logEndOffset: number;
  highWatermark: number;
  bytes: number;
  batches: number;
  records: number;
  segments: number;
}

export type OffsetSpec = 'earliest' | 'latest' | 'maxTimestamp' | number;

export interface OffsetAndTimestamp {
  /** -1 when no record matches (Kafka's UNKNOWN_OFFSET). */
  offset: number;
  timestamp: number;
}

export interface SegmentDeletion {
  segments: number;
  bytes: number;
  logStartOffset: number;
}

/** Why and where the tail of a partition was cut when it was opened. */
export interface TailRecovery {
  topic: string;
  partition: number;
  reason: string;
  /** The log end offset before and after. */
  from: number;
  to: number;
}

/** What a partition needs from the log it belongs to. */
export interface PartitionContext {
  readonly db: Database;
  readonly groupCommit: GroupCommit;
  readonly now: () => number;
  readonly readOnly: boolean;
  /** The memory cap that the partitions' batch indexes share (batchIndex.ts). */
  readonly batchIndexBudget: BatchIndexBudget;
  /** Deletes a key range in the background (`close()` waits for it). */
  dropRange(gte: Buffer, lt: Buffer): void;
  appended(topic: string, partition: number, highWatermark: number): void;
}

interface AppendJob {
  kind: 'append';
  batch: CheckedBatch;
  durable: boolean;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

interface TaskJob {
  kind: 'task';
  run: () => Promise<unknown>;
  resolve: (result: unknown) => void;
  reject: (error: unknown) => void;
}

interface ReadCursor {
  values: ValueIterator<Database, Buffer, Buffer>;
  /** The offset a read must start at to continue with this cursor. */
  nextOffset: number;
  /** The log end offset when the iterator was opened: it sees nothing from there on. */
  end: number;
  /** Batches read from LevelDB that did not fit in the last fetch: the next ones to return. */
  pending: Buffer[];
  idleTimer: NodeJS.Timeout | undefined;
}

const MAX_CURSORS = 4;
const CURSOR_IDLE_MS = 5_000;

/** Cap on the bytes of queued appends written in one LevelDB batch. */
const MAX_GROUP_BYTES = 16 * 1024 * 1024;

export class PartitionLog {
  private queue: (AppendJob | TaskJob)[] = [];
  private draining = false;
  private removed = false;
  /** The open-time tail check, while it runs. */
  private tailCheck: Promise<void> | undefined;
  /** Set when the tail check could not read the tail: the partition then refuses all. */
  private broken: LogError | undefined;
  /** Where each stored batch starts, per segment, for reads that do not go on from a cursor. */
  private readonly batchIndex: PartitionBatchIndex;
  /** Index builds in flight (see buildIndex). */
  private readonly indexBuilds = new Set<Promise<void>>();

  constructor(
    private readonly context: PartitionContext,
    readonly topicId: Buffer,
    public topicName: string,
    readonly partition: number,
    private readonly config: () => TopicConfig,
    private record: PartitionRecord,
    /** Oldest first; the last one is the active segment unless it has been rolled. */
    private segmentList: SegmentRecord[],
  ) {
    this.batchIndex = new PartitionBatchIndex(context.batchIndexBudget);
  }

  static emptyRecord(): PartitionRecord {
    return { logStartOffset: 0, logEndOffset: 0, indexMaxTimestamp: -1, bytesSinceIndexEntry: 0 };
  }

  summary(): PartitionSummary {
    let bytes = 0;
    let batches = 0;
    let records = 0;
    for (const segment of this.segmentList) {
      bytes += segment.bytes;
      batches += segment.batches;
      records += segment.records;
    }
    return {
      logStartOffset: this.record.logStartOffset,
      logEndOffset: this.record.logEndOffset,
      highWatermark: this.record.logEndOffset,
      bytes,
      batches,
      records,
      segments: this.segmentList.length,
    };
  }

  segments(): SegmentInfo[] {
    return this.segmentList.map(({ lastBatchOffset: _, ...segment }) => ({
      ...segment,
      active: segment.rolledMs === -1,
    }));
  }

  /** Appends a checked batch; resolves once it is written (and synced when `durable`). */
  append(batch: CheckedBatch, durable: boolean): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.enqueue({ kind: 'append', batch, durable, resolve, reject });
    });
  }

  /** Runs `run` alone in the partition's queue, after every append queued before it. */
  exclusive<T>(run: () => Promise<T>): Promise<T> {
    return new Promise((resolve, reject) => {
      this.enqueue({ kind: 'task', run, resolve: resolve as (result: unknown) => void, reject });
    });
  }

  /** Refuses further appends (the topic is being deleted) once the queue has drained. */
  async remove(): Promise<void> {
    await this.exclusive(async () => {
      this.removed = true;
      this.closeCursors();
      this.batchIndex.clear();
    });
  }

  private enqueue(job: AppendJob | TaskJob): void {
    this.queue.push(job);
    if (!this.draining) void this.drain();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      if (head.kind === 'task') {
        this.queue.shift();
        try {
          head.resolve(await head.run());
        } catch (error) {
          head.reject(error);
        }
        continue;
      }
      let count = 0;
      let bytes = 0;
      while (count < this.queue.length) {
        const job = this.queue[count]!;
        if (
          job.kind !== 'append' ||
          (count > 0 && bytes + job.batch.bytes.length > MAX_GROUP_BYTES)
        )
          break;
        bytes += job.batch.bytes.length;
        count++;
      }
      await this.writeAppends(this.queue.splice(0, count) as AppendJob[]);
    }
    this.draining = false;
  }

  private unknown(): LogError {
    return new LogError(
      'UNKNOWN_TOPIC_OR_PARTITION',
      `This server does not host topic-partition ${this.topicName}-${this.partition}`,
    );
  }

  private async writeAppends(jobs: AppendJob[]): Promise<void> {
    if (this.removed || this.broken) {
      for (const job of jobs) job.reject(this.broken ?? this.unknown());
      return;
    }
    const config = this.config();
    const now = this.context.now();
    const logAppendTime = config.timestampType === 'LogAppendTime';
    const record = { ...this.record };
    const segments = this.segmentList.slice();
    // Segments this write changes: copies, so that memory changes only if the write succeeds.
    const touched = new Set<SegmentRecord>();
    const own = (index: number): SegmentRecord => {
      const segment = segments[index]!;
      if (touched.has(segment)) return segment;
      const copy = { ...segment };
      segments[index] = copy;
      touched.add(copy);
      return copy;
    };
    const operations: WriteOperation[] = [];
    const results: AppendResult[] = [];
    /** Each batch's segment, for the batch index once the write succeeded. */
    const indexed: { segmentBase: number; baseOffset: number; created: boolean }[] = [];
    let durable = false;

    for (const job of jobs) {
      const { bytes, recordsCount, lastOffsetDelta } = job.batch;
      const baseOffset = record.logEndOffset;
      const lastOffset = baseOffset + lastOffsetDelta;
      setBaseOffset(bytes, BigInt(baseOffset));
      let { baseTimestamp, maxTimestamp } = job.batch;
      if (logAppendTime) {
        setLogAppendTime(bytes, BigInt(now), 0, bytes.length);
        baseTimestamp = maxTimestamp = now;
      }

      const last = segments.length - 1;
      if (last >= 0 && segments[last]!.rolledMs === -1) {
        const active = segments[last]!;
        const full = active.bytes + bytes.length > config.segmentBytes;
        if (full || now - active.createdMs >= config.segmentMs) own(last).rolledMs = now;
      }
      const newSegment = last < 0 || segments[last]!.rolledMs !== -1;
      if (newSegment) {
        const segment: SegmentRecord = {
          baseOffset,
          lastOffset: baseOffset - 1,
          lastBatchOffset: -1,
          bytes: 0,
          batches: 0,
          records: 0,
          minTimestamp: baseTimestamp,
          maxTimestamp: -1,
          offsetOfMaxTimestamp: -1,
          createdMs: now,
          rolledMs: -1,
        };
        segments.push(segment);
        touched.add(segment);
      }
      const active = own(segments.length - 1);
      indexed.push({ segmentBase: active.baseOffset, baseOffset, created: newSegment });
      active.lastOffset = lastOffset;
      active.lastBatchOffset = baseOffset;
      active.bytes += bytes.length;
      active.batches += 1;
      active.records += recordsCount;
      active.minTimestamp = Math.min(active.minTimestamp, baseTimestamp);
      if (maxTimestamp > active.maxTimestamp) {
        active.maxTimestamp = maxTimestamp;
        active.offsetOfMaxTimestamp = baseOffset;
      }
      operations.push({
        type: 'put',
        key: batchKey(this.topicId, this.partition, baseOffset),
        value: bytes,
      });

      // Sparse time index: an entry (largest timestamp so far, next offset) at the start of
      // each segment and every index.interval.bytes; see offsetForTimestamp.
      record.indexMaxTimestamp = Math.max(record.indexMaxTimestamp, maxTimestamp);
      record.bytesSinceIndexEntry += bytes.length;
      record.logEndOffset = lastOffset + 1;
      if (newSegment || record.bytesSinceIndexEntry >= config.indexIntervalBytes) {
        const key = timeIndexKey(
          this.topicId,
          this.partition,
          record.indexMaxTimestamp,
          record.logEndOffset,
        );
        operations.push({ type: 'put', key, value: EMPTY });
        record.bytesSinceIndexEntry = 0;
      }
      durable ||= job.durable;
      results.push({
        baseOffset,
        logAppendTime: logAppendTime ? now : -1,
        logStartOffset: record.logStartOffset,
      });
    }
    for (const segment of touched) {
      operations.push({
        type: 'put',
        key: segmentKey(this.topicId, this.partition, segment.baseOffset),
        value: encodeSegmentRecord(segment),
      });
    }
    operations.push({
      type: 'put',
      key: partitionKey(this.topicId, this.partition),
      value: encodePartitionRecord(record),
    });

    try {
      await this.context.groupCommit.write(operations, durable);
    } catch (error) {
      const failure = storageError(`Append to ${this.topicName}-${this.partition} failed`, error);
      for (const job of jobs) job.reject(failure);
      return;
    }
    this.record = record;
    this.segmentList = segments;
    for (const { segmentBase, baseOffset, created } of indexed) {
      this.batchIndex.appended(segmentBase, baseOffset, created);
    }
    jobs.forEach((job, i) => job.resolve(results[i]!));
    this.context.appended(this.topicName, this.partition, record.logEndOffset);
  }

  private checkOffset(offset: number): void {
    const { logStartOffset, logEndOffset } = this.record;
    if (!Number.isSafeInteger(offset) || offset < logStartOffset || offset > logEndOffset) {
      throw new LogError(
        'OFFSET_OUT_OF_RANGE',
        `Offset ${offset} is out of range for ${this.topicName}-${this.partition}: ` +
          `the log has offsets ${logStartOffset} to ${logEndOffset} (end)`,
      );
    }
  }

  /**
   * Whole batches from the one holding `offset`, up to `maxBytes` in all — except that the
   * first batch is returned whatever its size, so a consumer always makes progress (KIP-74).
   */
  async read(offset: number, maxBytes: number): Promise<ReadResult> {
    await this.checked();
    this.checkOffset(offset);
    const { logStartOffset, logEndOffset } = this.record;
    const result: ReadResult = {
      batches: [],
      bytes: 0,
      highWatermark: logEndOffset,
      lastStableOffset: logEndOffset,
      logStartOffset,
    };
    if (offset === logEndOffset) return result;
    let cursor = this.takeCursor(offset);
    let first: Buffer | undefined;
    if (!cursor) {
      // A read that does not go on from an earlier one (a new consumer, a seek, a sampled
      // offset) starts with the batch holding the offset: one `get` through the batch index
      // (or one reverse seek). When that batch about fills the fetch — a random read asking
      // for one batch — no forward iterator is opened at all: it would cost more than the
      // batch, and hold a batch back that the reader most likely does not want.
      const containing = await this.batchAt(offset);
      const next = lastOffsetOf(containing) + 1;
      if (containing.length + this.averageBatchBytes(next) >= maxBytes || next >= logEndOffset) {
        result.batches.push(containing);
        result.bytes = containing.length;
        return result;
      }
      first = containing;
      cursor = this.openCursor(next, logEndOffset, maxBytes);
    }
    let keep = true;
    try {
      // Ask for as many batches as probably fit (by the average size of the segment's
      // batches), so that one trip to LevelDB usually does, and little is read only to be dropped.
      let averageSize = this.averageBatchBytes(offset) || maxBytes;
      if (first) {
        result.batches.push(first);
        result.bytes += first.length;
      }
      let chunk = cursor.pending;
      cursor.pending = [];
      if (chunk.length === 0) {
        const room = Math.max(1, maxBytes - result.bytes);
        chunk = await cursor.values.nextv(Math.max(1, Math.floor(room / averageSize)));
      }
      let smallest = Infinity;
      for (;;) {
        if (chunk.length === 0) {
          keep = false; // the cursor has reached its end
          break;
        }
        let taken = 0;
        for (const batch of chunk) {
          if (result.batches.length > 0 && result.bytes + batch.length > maxBytes) break;
          result.batches.push(batch);
          result.bytes += batch.length;
          smallest = Math.min(smallest, batch.length);
          taken++;
        }
        if (taken < chunk.length) {
          cursor.pending = chunk.slice(taken);
          break;
        }
        const room = maxBytes - result.bytes;
        if (room < smallest) break;
        averageSize = result.bytes / result.batches.length;
        chunk = await cursor.values.nextv(Math.max(1, Math.floor(room / averageSize)));
      }
      const last = result.batches.at(-1);
      cursor.nextOffset = last ? lastOffsetOf(last) + 1 : offset;
      return result;
    } catch (error) {
      keep = false;
      throw error instanceof LogError
        ? error
        : storageError(`Read from ${this.topicName}-${this.partition} failed`, error);
    } finally {
      if (keep && cursor.nextOffset < cursor.end) this.parkCursor(cursor);
      else void cursor.values.close().catch(() => {});
    }
  }

  /**
   * Read cursors: a consumer that reads on from where its last fetch ended gets the LevelDB
   * iterator that fetch used, already in place (a fresh iterator costs a seek through every
   * level, about a third of the cost of a 1 MiB fetch). An iterator sees the log as it was
   * when it was opened, up to `end`; past that the next fetch opens a new one. A parked
   * cursor closes after CURSOR_IDLE_MS, so it does not pin LevelDB's files for long.
   */
  private cursors: ReadCursor[] = [];

  private takeCursor(offset: number): ReadCursor | undefined {
    const i = this.cursors.findIndex((cursor) => cursor.nextOffset === offset);
    if (i === -1) return undefined;
    const [cursor] = this.cursors.splice(i, 1);
    clearTimeout(cursor!.idleTimer);
    return cursor;
  }

  private openCursor(offset: number, end: number, maxBytes: number): ReadCursor {
    const values = this.context.db.values({
      gte: batchKey(this.topicId, this.partition, offset),
      lt: batchKey(this.topicId, this.partition, end),
      highWaterMarkBytes: Math.max(maxBytes, 1),
    });
    return { values, nextOffset: offset, end, pending: [], idleTimer: undefined };
  }

  private parkCursor(cursor: ReadCursor): void {
    if (this.removed) {
      void cursor.values.close().catch(() => {});
      return;
    }
    this.cursors.push(cursor);
    if (this.cursors.length > MAX_CURSORS) this.dropCursor(this.cursors[0]!);
    cursor.idleTimer = setTimeout(() => this.dropCursor(cursor), CURSOR_IDLE_MS);
    cursor.idleTimer.unref();
  }

  private dropCursor(cursor: ReadCursor): void {
    clearTimeout(cursor.idleTimer);
    this.cursors = this.cursors.filter((other) => other !== cursor);
    void cursor.values.close().catch(() => {});
  }

  /** Closes every parked read cursor (before the database closes). */
  closeCursors(): void {
    for (const cursor of [...this.cursors]) this.dropCursor(cursor);
  }

  /** The average batch size of the segment holding `offset` (0 when it has none). */
  private averageBatchBytes(offset: number): number {
    const segment = this.segmentHolding(offset) ?? this.segmentList.at(-1);
    return segment && segment.batches > 0 ? segment.bytes / segment.batches : 0;
  }

  /**
   * The stored batch whose offsets include `offset` (which is inside the log): one `get` of
   * the key the batch index names, or, where the segment is not indexed, one reverse seek
   * (and the segment's index is built in the background once reads keep landing there).
   */
  private async batchAt(offset: number): Promise<Buffer> {
    const segment = this.segmentHolding(offset);
    if (!segment) return this.batchContaining(offset);
    const base = this.batchIndex.lookup(segment.baseOffset, offset);
    if (base === undefined) {
      if (this.batchIndex.wantsBuild(segment.baseOffset)) this.buildIndex(segment.baseOffset);
      return this.batchContaining(offset);
    }
    const batch = await this.context.db.get(batchKey(this.topicId, this.partition, base));
    if (!batch || baseOffsetOf(batch) !== base || lastOffsetOf(batch) < offset) {
      this.checkOffset(offset); // retention may have just deleted it
      throw new LogError(
        'KAFKA_STORAGE_ERROR',
        `The batch index of ${this.topicName}-${this.partition} names offset ${base} for ` +
          `offset ${offset}, but ${batch ? 'the batch stored there does not hold it' : 'no batch is stored there'}`,
      );
    }
    return batch;
  }

  /** The segment whose offsets include `offset`, if any (the last one starting at or before it). */
  private segmentHolding(offset: number): SegmentRecord | undefined {
    const segments = this.segmentList;
    let low = 0;
    let high = segments.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (segments[mid]!.baseOffset <= offset) low = mid + 1;
      else high = mid;
    }
    return low === 0 ? undefined : segments[low - 1];
  }

  /**
   * Indexes a segment that was stored before the log was opened, from its keys (a key-only
   * scan of the segment), in the background: reads go on with reverse seeks meanwhile.
   */
  private buildIndex(segmentBase: number): void {
    const i = this.segmentList.findIndex((segment) => segment.baseOffset === segmentBase);
    const end = Math.min(this.segmentList[i + 1]?.baseOffset ?? Infinity, this.record.logEndOffset);
    const load = async (): Promise<number[]> => {
      const offsets: number[] = [];
      const keys = this.context.db.keys({
        gte: batchKey(this.topicId, this.partition, segmentBase),
        lt: batchKey(this.topicId, this.partition, end),
      });
      try {
        for (let chunk = await keys.nextv(1024); chunk.length > 0; chunk = await keys.nextv(1024))
          for (const key of chunk) offsets.push(offsetOfBatchKey(key));
      } finally {
        await keys.close();
      }
      return offsets;
    };
    // A failed build leaves the segment unindexed: reads keep the reverse seek, nothing is lost.
    const build = this.batchIndex.build(segmentBase, load).catch(() => {});
    this.indexBuilds.add(build);
    void build.finally(() => this.indexBuilds.delete(build));
  }

  /**
   * The indexed segments and their batches' base offsets, once the builds in flight are done
   * (for tests and diagnostics).
   */
  async indexedBatches(): Promise<Map<number, number[]>> {
    await Promise.all(this.indexBuilds);
    return this.batchIndex.snapshot();
  }

  /** The stored batch whose offsets include `offset` (which is inside the log): one reverse seek. */
  private async batchContaining(offset: number): Promise<Buffer> {
    const [batch] = await this.context.db
      .values({
        gte: batchKey(this.topicId, this.partition, 0),
        lte: batchKey(this.topicId, this.partition, offset),
        reverse: true,
        limit: 1,
      })
      .all();
    if (!batch || lastOffsetOf(batch) < offset) {
      this.checkOffset(offset); // retention may have just deleted it
      throw new LogError(
        'KAFKA_STORAGE_ERROR',
        `No stored batch holds offset ${offset} of ${this.topicName}-${this.partition}`,
      );
    }
    return batch;
  }

  async listOffset(spec: OffsetSpec): Promise<OffsetAndTimestamp> {
    await this.checked();
    if (spec === 'earliest') return { offset: this.record.logStartOffset, timestamp: -1 };
    if (spec === 'latest') return { offset: this.record.logEndOffset, timestamp: -1 };
    if (spec === 'maxTimestamp') return this.maxTimestampOffset();
    return this.offsetForTimestamp(spec);
  }

  private async maxTimestampOffset(): Promise<OffsetAndTimestamp> {
    let best: SegmentRecord | undefined;
    for (const segment of this.segmentList) {
      if (segment.batches > 0 && (!best || segment.maxTimestamp > best.maxTimestamp))
        best = segment;
    }
    if (!best || this.record.logStartOffset === this.record.logEndOffset) return NO_OFFSET;
    await readyToDecode();
    const batch = await this.context.db.get(
      batchKey(this.topicId, this.partition, best.offsetOfMaxTimestamp),
    );
    const found =
      batch && firstRecordAtOrAfter(batch, best.maxTimestamp, this.record.logStartOffset);
    return (
      found ?? {
        offset: Math.max(best.offsetOfMaxTimestamp, this.record.logStartOffset),
        timestamp: best.maxTimestamp,
      }
    );
  }

  /**
   * The first record with a timestamp ≥ `timestamp` (Kafka's ListOffsets by time). The time
   * index entry (M, N) says that every batch before offset N has timestamps ≤ M, and M only
   * grows with N; so the last entry with M < timestamp is where the answer can start, and the
   * scan from there reads at most about `index.interval.bytes` before it meets it.
   */
  private async offsetForTimestamp(timestamp: number): Promise<OffsetAndTimestamp> {
    const { logStartOffset, logEndOffset } = this.record;
    const newest = Math.max(-1, ...this.segmentList.map((segment) => segment.maxTimestamp));
    if (logStartOffset === logEndOffset || newest < timestamp) return NO_OFFSET;
    const [entry] = await this.context.db
      .keys({
        gte: partitionPrefix(Prefix.timeIndex, this.topicId, this.partition),
        lt: timeIndexKey(this.topicId, this.partition, timestamp, 0),
        reverse: true,
        limit: 1,
      })
      .all();
    const start = Math.max(entry ? decodeTimeIndexKey(entry).nextOffset : 0, logStartOffset);
    if (start >= logEndOffset) return NO_OFFSET;
    await readyToDecode();
    const first = await this.batchAt(start);
    const found = firstRecordAtOrAfter(first, timestamp, start);
    if (found) return found;
    const values = this.context.db.values({
      gt: batchKey(this.topicId, this.partition, baseOffsetOf(first)),
      lt: batchKey(this.topicId, this.partition, logEndOffset),
    });
    try {
      for (let chunk = await values.nextv(16); chunk.length > 0; chunk = await values.nextv(16)) {
        for (const batch of chunk) {
          const match = firstRecordAtOrAfter(batch, timestamp, start);
          if (match) return match;
        }
      }
    } finally {
      await values.close();
    }
    return NO_OFFSET;
  }

  /** Kafka's DeleteRecords: moves the log start offset up to `beforeOffset` (-1: the end). */
  deleteRecords(beforeOffset: number): Promise<number> {
    return this.exclusive(async () => {
      await this.checked();
      if (this.removed) throw this.unknown();
      const target = beforeOffset === -1 ? this.record.logEndOffset : beforeOffset;
      if (!Number.isSafeInteger(target) || target < 0 || target > this.record.logEndOffset) {
        throw new LogError(
          'OFFSET_OUT_OF_RANGE',
          `Cannot delete records of ${this.topicName}-${this.partition} before ${beforeOffset}: ` +
            `the high watermark is ${this.record.logEndOffset}`,
        );
      }
      if (target <= this.record.logStartOffset) return this.record.logStartOffset;
      const below = this.segmentList.filter((segment) => segment.lastOffset < target);
      await this.deleteSegments(below.length, target);
      return this.record.logStartOffset;
    });
  }

  /**
   * Retention for this partition at time `now`: the oldest segments whose newest record is
   * older than retention.ms, then the oldest while the partition is over retention.bytes.
   * The active segment may go too when it is itself expired (it is rolled first), as in Kafka.
   */
  retention(now: number): Promise<SegmentDeletion | undefined> {
    return this.exclusive(async () => {
      await this.checked();
      const config = this.config();
      if (this.removed || !config.cleanupPolicy.delete || this.segmentList.length === 0) {
        return undefined;
      }
      let count = 0;
      if (config.retentionMs >= 0) {
        while (count < this.segmentList.length) {
          const segment = this.segmentList[count]!;
          const newest =
            segment.maxTimestamp >= 0
              ? segment.maxTimestamp
              : segment.rolledMs >= 0
                ? segment.rolledMs
                : segment.createdMs;
          if (now - newest <= config.retentionMs) break;
          count++;
        }
      }
      if (config.retentionBytes >= 0) {
        let excess =
          this.segmentList.reduce((sum, segment) => sum + segment.bytes, 0) - config.retentionBytes;
        for (let i = 0; i < this.segmentList.length; i++) {
          const segment = this.segmentList[i]!;
          if (excess - segment.bytes < 0) break;
          excess -= segment.bytes;
          count = Math.max(count, i + 1);
        }
      }
      if (count === 0) return undefined;
      const bytes = this.segmentList
        .slice(0, count)
        .reduce((sum, segment) => sum + segment.bytes, 0);
      await this.deleteSegments(count, 0);
      return { segments: count, bytes, logStartOffset: this.record.logStartOffset };
    });
  }

  /**
   * Drops the oldest `count` segments and moves the log start offset to at least
   * `minLogStart` and past them. Metadata first, in one batch (segment records, their time
   * index entries, the partition state), so no reader ever sees a segment without its
   * batches; then the batches, as a range delete in the background. Runs in the queue.
   */
  private async deleteSegments(count: number, minLogStart: number): Promise<void> {
    if (this.context.readOnly) throw readOnlyError();
    const doomed = this.segmentList.slice(0, count);
    const remaining = this.segmentList.slice(count);
    const keepFrom = remaining[0]?.baseOffset ?? this.record.logEndOffset;
    const record = {
      ...this.record,
      logStartOffset: Math.max(this.record.logStartOffset, minLogStart, keepFrom),
    };
    const operations: WriteOperation[] = doomed.map((segment) => ({
      type: 'del',
      key: segmentKey(this.topicId, this.partition, segment.baseOffset),
    }));
    if (doomed.length > 0) {
      const index = this.timeIndexKeys(false, (nextOffset) => nextOffset <= keepFrom);
      for (const key of await index) operations.push({ type: 'del', key });
    }
    operations.push({
      type: 'put',
      key: partitionKey(this.topicId, this.partition),
      value: encodePartitionRecord(record),
    });
    try {
      await this.context.groupCommit.write(operations, false);
    } catch (error) {
      throw storageError(`Deleting segments of ${this.topicName}-${this.partition} failed`, error);
    }
    this.record = record;
    this.segmentList = remaining;
    this.batchIndex.dropBelow(keepFrom);
    if (doomed.length > 0) {
      const from = batchKey(this.topicId, this.partition, doomed[0]!.baseOffset);
      const to = batchKey(this.topicId, this.partition, keepFrom);
      this.context.dropRange(from, to);
    }
  }

  /**
   * Runs the open-time tail check (see recoverTail) as the partition's first job: appends and
   * maintenance queue behind it, and reads and offset lookups wait for it. If the check
   * itself fails (the tail cannot be read), the partition refuses everything after it.
   */
  checkTail(tail: Promise<Buffer | undefined>): Promise<TailRecovery | undefined> {
    const check = this.exclusive(async () => {
      try {
        return await this.recoverTail(await tail);
      } catch (error) {
        this.broken = storageError(
          `Checking the tail of ${this.topicName}-${this.partition} failed`,
          error,
        );
        throw this.broken;
      }
    });
    this.tailCheck = check.then(
      () => {
        this.tailCheck = undefined;
      },
      () => {},
    );
    return check;
  }

  /** Waits for the open-time tail check, if it is still running. */
  private async checked(): Promise<void> {
    if (this.tailCheck) await this.tailCheck;
    if (this.broken) throw this.broken;
  }

  /**
   * Checks the tail batch (open never scans the log: this is the one batch it reads). When
   * it is missing or damaged, walks back to the last whole batch and cuts the log there, as
   * Kafka's recovery truncates a log after an unclean shutdown. Returns what it did, if
   * anything. A read-only log keeps the cut in memory only.
   */
  private async recoverTail(tail: Buffer | undefined): Promise<TailRecovery | undefined> {
    const active = this.segmentList.at(-1);
    if (!active) return undefined;
    const problem = batchProblem(tail, active.lastBatchOffset, active.lastOffset);
    if (!problem) return undefined;

    const from = this.record.logEndOffset;
    const { db } = this.context;
    let newEnd = this.record.logStartOffset;
    const dropped: Buffer[] = [];
    const iterator = db.iterator({
      ...prefixRange(partitionPrefix(Prefix.batch, this.topicId, this.partition)),
      reverse: true,
    });
    try {
      for await (const [key, value] of iterator) {
        if (!batchProblem(value, offsetOfBatchKey(key), undefined)) {
          newEnd = lastOffsetOf(value) + 1;
          break;
        }
        dropped.push(key);
      }
    } finally {
      await iterator.close();
    }
    newEnd = Math.max(newEnd, this.record.logStartOffset);

    // Rebuild the metadata of what is left: the segment holding the new end is re-counted
    // from its batches; later segments and time index entries go.
    const operations: WriteOperation[] = dropped.map((key) => ({ type: 'del', key }));
    const kept = this.segmentList.filter((segment) => segment.baseOffset < newEnd);
    for (const segment of this.segmentList.slice(kept.length)) {
      operations.push({
        type: 'del',
        key: segmentKey(this.topicId, this.partition, segment.baseOffset),
      });
    }
    const last = kept.at(-1);
    if (last) {
      const recounted = await this.recount(last, newEnd);
      const key = segmentKey(this.topicId, this.partition, last.baseOffset);
      if (recounted.batches > 0) {
        kept[kept.length - 1] = recounted;
        operations.push({ type: 'put', key, value: encodeSegmentRecord(recounted) });
      } else {
        kept.pop();
        operations.push({ type: 'del', key });
      }
    }
    for (const key of await this.timeIndexKeys(true, (nextOffset) => nextOffset > newEnd)) {
      operations.push({ type: 'del', key });
    }
    const record = {
      ...this.record,
      logEndOffset: newEnd,
      logStartOffset: Math.min(this.record.logStartOffset, newEnd),
    };
    operations.push({
      type: 'put',
      key: partitionKey(this.topicId, this.partition),
      value: encodePartitionRecord(record),
    });
    if (!this.context.readOnly) await this.context.groupCommit.write(operations, true);
    this.record = record;
    this.segmentList = kept;
    this.batchIndex.clear();
    return { topic: this.topicName, partition: this.partition, reason: problem, from, to: newEnd };
  }

  /**
   * Time index keys from the oldest (or, `fromNewest`, the newest) on, while `take` holds
   * for their next offset (the entries are in offset order as well as timestamp order).
   */
  private async timeIndexKeys(
    fromNewest: boolean,
    take: (nextOffset: number) => boolean,
  ): Promise<Buffer[]> {
    const keys: Buffer[] = [];
    const iterator = this.context.db.keys({
      ...prefixRange(partitionPrefix(Prefix.timeIndex, this.topicId, this.partition)),
      reverse: fromNewest,
    });
    try {
      for await (const key of iterator) {
        if (!take(decodeTimeIndexKey(key).nextOffset)) break;
        keys.push(key);
      }
    } finally {
      await iterator.close();
    }
    return keys;
  }

  /** A segment's counts recomputed from its stored batches below `end`. */
  private async recount(segment: SegmentRecord, end: number): Promise<SegmentRecord> {
    const out: SegmentRecord = {
      ...segment,
      lastOffset: segment.baseOffset - 1,
      lastBatchOffset: -1,
      bytes: 0,
      batches: 0,
      records: 0,
      maxTimestamp: -1,
      offsetOfMaxTimestamp: -1,
    };
    const values = this.context.db.values({
      gte: batchKey(this.topicId, this.partition, segment.baseOffset),
      lt: batchKey(this.topicId, this.partition, end),
    });
    for await (const batch of values) {
      const base = baseOffsetOf(batch);
      const maxTimestamp = Number(batch.readBigInt64BE(Offsets.maxTimestamp));
      out.lastOffset = lastOffsetOf(batch);
      out.lastBatchOffset = base;
      out.bytes += batch.length;
      out.batches += 1;
      out.records += batch.readInt32BE(Offsets.recordsCount);
      if (maxTimestamp > out.maxTimestamp) {
        out.maxTimestamp = maxTimestamp;
        out.offsetOfMaxTimestamp = base;
      }
    }
    return out;
  }

  /** Key of the tail batch that open verifies, if the partition has one. */
  tailKey(): Buffer | undefined {
    const active = this.segmentList.at(-1);
    return active && batchKey(this.topicId, this.partition, active.lastBatchOffset);
  }

  /**
   * Where batches left by an interrupted range delete would be: below the first segment,
   * invisible (below the log start). The log deletes them in the background after open.
   */
  strayRange(): { gte: Buffer; lt: Buffer } | undefined {
    const firstKept = this.segmentList[0]?.baseOffset ?? this.record.logStartOffset;
    if (firstKept === 0) return undefined; // nothing was ever deleted here
    return {
      gte: batchKey(this.topicId, this.partition, 0),
      lt: batchKey(this.topicId, this.partition, firstKept),
    };
  }
}

const EMPTY = Buffer.alloc(0);
const NO_OFFSET: OffsetAndTimestamp = { offset: -1, timestamp: -1 };

const baseOffsetOf = (batch: Buffer): number => Number(batch.readBigInt64BE(Offsets.baseOffset));
const lastOffsetOf = (batch: Buffer): number =>
  baseOffsetOf(batch) + batch.readInt32BE(Offsets.lastOffsetDelta);

export const readOnlyError = (): LogError =>
  new LogError('KAFKA_STORAGE_ERROR', 'The log was opened read-only');

/** Why a stored batch is not a whole, valid batch at `baseOffset`, or undefined if it is. */
function batchProblem(
  batch: Buffer | undefined,
  baseOffset: number,
  lastOffset: number | undefined,
): string | undefined {
  if (!batch) return `the batch at offset ${baseOffset} is missing`;
  if (batch.length < RECORD_BATCH_HEADER_SIZE)
    return `the batch at offset ${baseOffset} is truncated`;
  if (batch.readInt32BE(Offsets.batchLength) + LOG_OVERHEAD !== batch.length)
    return `the batch at offset ${baseOffset} has the wrong length`;
  if (batch.readInt8(Offsets.magic) !== 2)
    return `the batch at offset ${baseOffset} has magic ${batch.readInt8(Offsets.magic)}`;
  if (baseOffsetOf(batch) !== baseOffset)
    return `the batch stored at offset ${baseOffset} says ${baseOffsetOf(batch)}`;
  if (lastOffset !== undefined && lastOffsetOf(batch) !== lastOffset)
    return `the batch at offset ${baseOffset} ends at ${lastOffsetOf(batch)}, not ${lastOffset}`;
  if (!isRecordBatchCrcValid(batch)) return `the batch at offset ${baseOffset} fails its CRC`;
  return undefined;
}
