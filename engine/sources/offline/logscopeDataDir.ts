/**
 * An offline source over a stopped Logscope broker's data directory. LevelDB writes even when
 * it only reads (its LOCK file, an info LOG, and a replay of its write-ahead log into a new
 * table at open), so the directory is never opened in place: its files are copied into a
 * private snapshot under the system temp directory, which is opened read-only through
 * broker/log and removed on close. The original is only read.
 *
 * A directory a running broker holds is refused with a message that says so: on Linux, the
 * POSIX lock LevelDB keeps on `LOCK` is visible in /proc/locks, checked without touching it.
 */
import { cp, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommitLog, type SegmentInfo } from '../../../broker/log';
import type { SegmentList, TopicDetails, TopicSummary } from '../../api';
import type { FetchRequest, FetchResult, PartitionOffsets } from '../../browse/logReader';
import type { RawRecord } from '../../browse/record';
import { RecordSizeEstimate } from '../../browse/partitionScan';
import { ApiError } from '../../http/apiError';
import { iterateLogEntries } from '../../../broker/protocol/records';
import { DamageLog, type Damage } from './damage';
import { entryRecords, lastOffsetOf } from './entryRecords';
import type { OfflineSource } from './offlineSource';

export class LogscopeDataDirSource implements OfflineSource {
  readonly kind = 'logscope-data-dir' as const;
  private readonly estimates = new Map<string, RecordSizeEstimate>();
  private readonly damageLog = new DamageLog();

  private constructor(
    readonly path: string,
    private readonly snapshot: string,
    private readonly log: CommitLog,
  ) {}

  /** Refuses a directory a running broker holds, saying what to do instead. */
  static async checkNotHeld(path: string): Promise<void> {
    const holder = await lockHolder(join(path, 'LOCK'));
    if (holder !== null) {
      throw new ApiError(
        'CONFLICT',
        `${path} is held by a running broker (process ${holder}): offline inspection opens only data ` +
          `directories no broker holds. Connect to that broker instead — the "Local broker" cluster ` +
          `if it is Logscope's own, else add it as a Kafka cluster by its bootstrap address — or stop it first.`,
        { field: 'body.path' },
      );
    }
  }

  static async open(path: string): Promise<LogscopeDataDirSource> {
    await LogscopeDataDirSource.checkNotHeld(path);
    const snapshot = await mkdtemp(join(tmpdir(), 'logscope-offline-'));
    try {
      // LOCK is left behind: it is empty, and the copy takes its own.
      await cp(path, snapshot, { recursive: true, filter: (source) => !source.endsWith('/LOCK') });
      const log = await CommitLog.open(snapshot, { readOnly: true });
      return new LogscopeDataDirSource(path, snapshot, log);
    } catch (error) {
      await rm(snapshot, { recursive: true, force: true });
      if (error instanceof ApiError) throw error;
      throw new ApiError(
        'BAD_REQUEST',
        `${path} cannot be opened as a Logscope data directory: ${(error as Error).message}`,
        {
          field: 'body.path',
          cause: error,
        },
      );
    }
  }

  private describe(topic: string) {
    if (!this.log.hasTopic(topic))
      throw new ApiError('NOT_FOUND', `Topic "${topic}" is not in ${this.path}.`);
    return this.log.describeTopic(topic);
  }

  sizes(topic: string): RecordSizeEstimate {
    let estimate = this.estimates.get(topic);
    if (!estimate) {
      estimate = new RecordSizeEstimate();
      this.estimates.set(topic, estimate);
    }
    return estimate;
  }

  async listTopics(): Promise<TopicSummary[]> {
    return this.log
      .listTopics()
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((t) => {
        let messages = 0;
        let bytes = 0;
        for (let p = 0; p < t.partitions; p++) {
          const s = this.log.partitionSummary(t.name, p);
          messages += s.highWatermark - s.logStartOffset;
          bytes += s.bytes;
        }
        return {
          name: t.name,
          internal: t.name.startsWith('__'),
          partitions: t.partitions,
          replicationFactor: 1,
          messages,
          bytes,
        };
      });
  }

  async describeTopic(topic: string): Promise<TopicDetails> {
    const t = this.describe(topic);
    const partitions = [];
    for (let p = 0; p < t.partitions; p++) {
      const s = this.log.partitionSummary(topic, p);
      partitions.push({
        partition: p,
        leader: 0,
        replicas: [0],
        isr: [0],
        offlineReplicas: [],
        logStartOffset: s.logStartOffset,
        highWatermark: s.highWatermark,
        messages: s.highWatermark - s.logStartOffset,
        bytes: s.bytes,
        segmentCount: s.segments,
      });
    }
    return { name: topic, topicId: t.id, internal: topic.startsWith('__'), partitions };
  }

  async segments(topic: string, partition: number): Promise<SegmentList> {
    this.partitionCheck(topic, partition);
    const s = this.log.partitionSummary(topic, partition);
    const segments = this.log.segments(topic, partition).map((g: SegmentInfo) => ({
      baseOffset: g.baseOffset,
      lastOffset: g.lastOffset,
      bytes: g.bytes,
      records: g.records,
      batches: g.batches,
      firstTimestamp: g.minTimestamp,
      lastTimestamp: g.maxTimestamp,
      createdAt: g.createdMs,
      rolledAt: g.rolledMs < 0 ? null : g.rolledMs,
      active: g.active,
    }));
    return {
      supported: true,
      segments,
      logStartOffset: s.logStartOffset,
      highWatermark: s.highWatermark,
      retentionCutoffTimestamp: null,
      partitionBytes: s.bytes,
      damage: this.damageLog.list(),
    };
  }

  private partitionCheck(topic: string, partition: number): void {
    const t = this.describe(topic);
    if (partition >= t.partitions)
      throw new ApiError('NOT_FOUND', `Partition ${partition} of topic "${topic}" was not found.`);
  }

  async offsets(topic: string): Promise<PartitionOffsets[]> {
    const t = this.describe(topic);
    return Array.from({ length: t.partitions }, (_, p) => {
      const s = this.log.partitionSummary(topic, p);
      return { partition: p, logStartOffset: s.logStartOffset, highWatermark: s.highWatermark };
    });
  }

  async offsetsForTimestamp(
    topic: string,
    partitions: number[],
    timestamp: number,
  ): Promise<Map<number, number>> {
    const result = new Map<number, number>();
    for (const p of partitions) {
      this.partitionCheck(topic, p);
      const found = await this.log.listOffset(topic, p, timestamp);
      result.set(
        p,
        found.offset >= 0 ? found.offset : this.log.partitionSummary(topic, p).highWatermark,
      );
    }
    return result;
  }

  async fetch(topic: string, requests: FetchRequest[]): Promise<Map<number, FetchResult>> {
    const result = new Map<number, FetchResult>();
    for (const request of requests) {
      this.partitionCheck(topic, request.partition);
      const summary = this.log.partitionSummary(topic, request.partition);
      const offset = Math.max(request.offset, summary.logStartOffset);
      const records: RawRecord[] = [];
      let nextOffset = offset;
      if (offset < summary.highWatermark) {
        const read = await this.log.read(topic, request.partition, offset, request.maxBytes);
        for (const bytes of read.batches) {
          for (const entry of iterateLogEntries(bytes)) {
            if (entry.kind === 'batch' || entry.kind === 'legacy') {
              for (const r of entryRecords(entry, request.partition))
                if (r.offset >= offset) records.push(r);
              nextOffset = Math.max(nextOffset, lastOffsetOf(entry) + 1);
            } else {
              const baseOffset = bytes.length >= 8 ? Number(bytes.readBigInt64BE(0)) : null;
              this.damageLog.add({
                file: `${topic}-${request.partition} (LevelDB)`,
                position: entry.position,
                offset: baseOffset,
                kind:
                  entry.kind === 'truncated'
                    ? 'TRUNCATED'
                    : entry.error.kind === 'CRC_MISMATCH'
                      ? 'CRC_MISMATCH'
                      : 'CORRUPT',
                message:
                  entry.kind === 'truncated' ? 'stored batch is cut short' : entry.error.message,
                effect: 'skipped',
              });
              if (baseOffset !== null) nextOffset = Math.max(nextOffset, baseOffset + 1);
            }
          }
        }
      }
      this.sizes(topic).observe(records);
      result.set(request.partition, {
        records,
        nextOffset,
        highWatermark: summary.highWatermark,
        logStartOffset: summary.logStartOffset,
      });
    }
    return result;
  }

  damage(): Damage[] {
    return this.damageLog.list();
  }

  async close(): Promise<void> {
    await this.log.close().catch(() => {});
    await rm(this.snapshot, { recursive: true, force: true });
  }
}

/** The process holding a POSIX lock on `file` (Linux /proc/locks), or null. */
async function lockHolder(file: string): Promise<number | null> {
  let inode: number;
  try {
    inode = (await stat(file)).ino;
  } catch {
    return null;
  }
  let locks: string;
  try {
    locks = await readFile('/proc/locks', 'utf8');
  } catch {
    return null; // not Linux: the snapshot is read as it is
  }
  for (const line of locks.split('\n')) {
    // "1: POSIX  ADVISORY  WRITE 12345 08:01:1234567 0 EOF"
    const fields = line.trim().split(/\s+/);
    const device = fields[5];
    if (fields[1] !== 'POSIX' && fields[1] !== 'FLOCK' && fields[1] !== 'OFDLCK') continue;
    if (device && Number(device.split(':')[2]) === inode) return Number(fields[4]);
  }
  return null;
}
