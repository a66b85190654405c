/**
 * An offline source over Kafka's files: a whole log directory, one partition directory, or a
 * single segment file. Partitions are found by directory name (kafkaLayout.ts); their segments
 * are read lazily by PartitionReader. Nothing is written: files are opened for reading only.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import type { KraftSnapshot, Segment, SegmentList, TopicDetails, TopicSummary } from '../../api';
import type { FetchRequest, FetchResult, PartitionOffsets } from '../../browse/logReader';
import { RecordSizeEstimate } from '../../browse/partitionScan';
import { ApiError } from '../../http/apiError';
import type { Damage } from './damage';
import type { DetectedPath, OfflinePathKind } from './detectPath';
import {
  CHECKPOINT_FILES,
  isRetiredPartitionDir,
  parsePartitionDirName,
  parseProperties,
  readOffsetCheckpoint,
  readPartitionMetadata,
  SEGMENT_NAME,
} from './kafkaLayout';
import { describeSnapshot, snapshotFiles, type SnapshotFile } from './kraftSnapshot';
import { PartitionReader } from './partitionReader';
import type { OfflineSource } from './offlineSource';
import type { SegmentFiles } from './segmentReader';

/** Bytes of a topic's files whose CRCs are all checked when the topic is first described. */
const CHECK_ON_DESCRIBE_BYTES = 256 * 1024 * 1024;

interface TopicEntry {
  partitions: Map<number, PartitionReader>;
  /** KRaft snapshot files by partition (only `__cluster_metadata` has them). */
  snapshots: Map<number, SnapshotFile[]>;
  topicId: string | null;
}

export class KafkaLogDirSource implements OfflineSource {
  private readonly estimates = new Map<string, RecordSizeEstimate>();
  /** Snapshots walked, by path: files that are not written to are walked once. */
  private readonly snapshotDetails = new Map<string, Promise<KraftSnapshot>>();

  private constructor(
    readonly kind: OfflinePathKind,
    readonly path: string,
    private readonly topics: Map<string, TopicEntry>,
    readonly nodeId: number,
    readonly clusterId: string | null,
    /** Partition directories left out: being deleted, moved or stray. */
    readonly retired: string[],
  ) {}

  static async open(detected: DetectedPath): Promise<KafkaLogDirSource> {
    const topics = new Map<string, TopicEntry>();
    const retired: string[] = [];
    const add = async (
      topic: string,
      partition: number,
      dir: string,
      files: PartitionFiles,
      logStart: number | null,
    ) => {
      let entry = topics.get(topic);
      if (!entry) {
        entry = {
          partitions: new Map(),
          snapshots: new Map(),
          topicId: await readPartitionMetadata(dir),
        };
        topics.set(topic, entry);
      }
      entry.partitions.set(
        partition,
        new PartitionReader(topic, partition, dir, files.segments, logStart),
      );
      if (files.snapshots.length > 0) entry.snapshots.set(partition, files.snapshots);
    };
    let root = detected.path;
    let meta = new Map<string, string>();
    if (detected.kind === 'kafka-log-dir') {
      meta = await readMeta(root);
      const logStarts = await readOffsetCheckpoint(join(root, CHECKPOINT_FILES.logStart));
      for (const entry of await readdir(root, { withFileTypes: true })) {
        if (!entry.isDirectory()) continue;
        if (isRetiredPartitionDir(entry.name)) {
          retired.push(entry.name);
          continue;
        }
        const parsed = parsePartitionDirName(entry.name);
        if (!parsed) continue;
        const dir = join(root, entry.name);
        await add(
          parsed.topic,
          parsed.partition,
          dir,
          await partitionFiles(root, dir),
          logStarts?.get(entry.name) ?? null,
        );
      }
    } else if (detected.kind === 'partition-dir') {
      root = dirname(detected.path);
      const parsed = parsePartitionDirName(basename(detected.path)) ?? {
        topic: safeTopic(basename(detected.path)),
        partition: 0,
      };
      const logStarts = await readOffsetCheckpoint(join(root, CHECKPOINT_FILES.logStart));
      await add(
        parsed.topic,
        parsed.partition,
        detected.path,
        await partitionFiles(root, detected.path),
        logStarts?.get(basename(detected.path)) ?? null,
      );
    } else {
      const dir = dirname(detected.path);
      const name = basename(detected.path);
      const parsed = parsePartitionDirName(basename(dir)) ?? {
        topic: safeTopic(name.replace(/\.log$/, '')),
        partition: 0,
      };
      const info = await stat(detected.path);
      const base = SEGMENT_NAME.exec(name);
      await add(
        parsed.topic,
        parsed.partition,
        dir,
        {
          segments: [
            {
              baseOffset: base ? Number(base[1]) : 0,
              name,
              log: detected.path,
              size: info.size,
              mtimeMs: info.mtimeMs,
              index: null,
              timeIndex: null,
            },
          ],
          snapshots: [],
        },
        null,
      );
    }
    const nodeId = Number(meta.get('node.id') ?? meta.get('broker.id') ?? 0);
    return new KafkaLogDirSource(
      detected.kind,
      detected.path,
      topics,
      Number.isInteger(nodeId) ? nodeId : 0,
      meta.get('cluster.id') ?? null,
      retired,
    );
  }

  private topic(name: string): TopicEntry {
    const entry = this.topics.get(name);
    if (!entry) throw new ApiError('NOT_FOUND', `Topic "${name}" is not in ${this.path}.`);
    return entry;
  }

  partition(topic: string, partition: number): PartitionReader {
    const reader = this.topic(topic).partitions.get(partition);
    if (!reader)
      throw new ApiError(
        'NOT_FOUND',
        `Partition ${partition} of topic "${topic}" is not in ${this.path}.`,
      );
    return reader;
  }

  partitions(topic: string): PartitionReader[] {
    return [...this.topic(topic).partitions.values()].sort((a, b) => a.partition - b.partition);
  }

  topicNames(): string[] {
    return [...this.topics.keys()].sort();
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
    const summaries: TopicSummary[] = [];
    for (const name of this.topicNames()) {
      const partitions = this.partitions(name);
      let messages = 0;
      for (const p of partitions) {
        const o = await p.offsets();
        messages += o.highWatermark - o.logStartOffset;
      }
      summaries.push({
        name,
        internal: name.startsWith('__'),
        partitions: partitions.length,
        replicationFactor: 1,
        messages,
        bytes: partitions.reduce((sum, p) => sum + p.bytes, 0),
      });
    }
    return summaries;
  }

  async describeTopic(topic: string): Promise<TopicDetails> {
    const entry = this.topic(topic);
    const partitions = [];
    // Small topics are checked whole on first view, so a damage banner shows at once; larger
    // ones report what reads met, and the segments view checks a partition on demand.
    let budget = CHECK_ON_DESCRIBE_BYTES;
    for (const p of this.partitions(topic)) {
      const damageChecked = p.checked || p.bytes <= budget;
      if (damageChecked && !p.checked) {
        budget -= p.bytes;
        await p.validate();
      }
      const o = await p.offsets();
      partitions.push({
        partition: p.partition,
        leader: this.nodeId,
        replicas: [this.nodeId],
        isr: [this.nodeId],
        offlineReplicas: [],
        logStartOffset: o.logStartOffset,
        highWatermark: o.highWatermark,
        messages: o.highWatermark - o.logStartOffset,
        bytes: p.bytes,
        segmentCount: p.segmentCount,
        damage: await p.explainedDamage(),
        damageChecked,
      });
    }
    return { name: topic, topicId: entry.topicId, internal: topic.startsWith('__'), partitions };
  }

  async segments(topic: string, partition: number): Promise<SegmentList> {
    const reader = this.partition(topic, partition);
    const details = await reader.segmentDetails();
    const offsets = await reader.offsets();
    const segments: Segment[] = details.map((d, i) => ({
      baseOffset: d.baseOffset,
      lastOffset: d.lastOffset ?? d.baseOffset - 1,
      bytes: d.bytes,
      records: d.records,
      batches: d.batches,
      firstTimestamp: d.firstTimestamp,
      lastTimestamp: d.lastTimestamp,
      createdAt: null,
      rolledAt: i < details.length - 1 ? d.modifiedAt : null,
      active: i === details.length - 1,
      file: d.file,
      indexEntries: d.indexEntries,
      timeIndexEntries: d.timeIndexEntries,
      indexNotes: d.indexNotes,
      damage: d.damage,
    }));
    const snapshots = await this.snapshots(topic, partition);
    return {
      supported: true,
      segments,
      logStartOffset: offsets.logStartOffset,
      highWatermark: offsets.highWatermark,
      retentionCutoffTimestamp: null,
      partitionBytes: reader.bytes,
      damage: [...(await reader.explainedDamage()), ...snapshots.flatMap((s) => s.damage)],
      ...(snapshots.length > 0 ? { snapshots } : {}),
    };
  }

  /** A partition's KRaft snapshots, each walked with its CRCs checked (once). */
  async snapshots(topic: string, partition: number): Promise<KraftSnapshot[]> {
    this.partition(topic, partition); // 404 for a partition that is not here
    const files = this.topic(topic).snapshots.get(partition) ?? [];
    return Promise.all(
      files.map((file) => {
        let details = this.snapshotDetails.get(file.path);
        if (!details) {
          details = describeSnapshot(file);
          this.snapshotDetails.set(file.path, details);
        }
        return details;
      }),
    );
  }

  async offsets(topic: string): Promise<PartitionOffsets[]> {
    const result: PartitionOffsets[] = [];
    for (const p of this.partitions(topic))
      result.push({ partition: p.partition, ...(await p.offsets()) });
    return result;
  }

  async offsetsForTimestamp(
    topic: string,
    partitions: number[],
    timestamp: number,
  ): Promise<Map<number, number>> {
    const result = new Map<number, number>();
    for (const partition of partitions) {
      result.set(partition, await this.partition(topic, partition).offsetForTimestamp(timestamp));
    }
    return result;
  }

  async fetch(topic: string, requests: FetchRequest[]): Promise<Map<number, FetchResult>> {
    const result = new Map<number, FetchResult>();
    for (const request of requests) {
      const fetched = await this.partition(topic, request.partition).fetch(
        request.offset,
        request.maxBytes,
      );
      this.sizes(topic).observe(fetched.records);
      result.set(request.partition, fetched);
    }
    return result;
  }

  damage(): Damage[] {
    return [...this.topics.values()].flatMap((t) =>
      [...t.partitions.values()].flatMap((p) => p.damage.list()),
    );
  }

  async close(): Promise<void> {
    await Promise.all(
      [...this.topics.values()].flatMap((t) => [...t.partitions.values()].map((p) => p.close())),
    );
  }
}

async function readMeta(root: string): Promise<Map<string, string>> {
  try {
    return parseProperties(await readFile(join(root, 'meta.properties'), 'utf8'));
  } catch {
    return new Map();
  }
}

interface PartitionFiles {
  segments: SegmentFiles[];
  snapshots: SnapshotFile[];
}

/**
 * Segment and KRaft snapshot files of a partition directory, named relative to the opened root
 * for reports.
 */
async function partitionFiles(root: string, dir: string): Promise<PartitionFiles> {
  const entries = await readdir(dir);
  const names = new Set(entries);
  const files: SegmentFiles[] = [];
  for (const name of entries) {
    const match = SEGMENT_NAME.exec(name);
    if (!match) continue;
    const log = join(dir, name);
    const info = await stat(log);
    const stem = name.slice(0, -'.log'.length);
    files.push({
      baseOffset: Number(match[1]),
      name: relative(root, log),
      log,
      size: info.size,
      mtimeMs: info.mtimeMs,
      index: names.has(`${stem}.index`) ? join(dir, `${stem}.index`) : null,
      timeIndex: names.has(`${stem}.timeindex`) ? join(dir, `${stem}.timeindex`) : null,
    });
  }
  return { segments: files, snapshots: await snapshotFiles(root, dir, entries) };
}

/** A topic name from a file or directory name that is not one: Kafka's characters only. */
function safeTopic(name: string): string {
  const cleaned = name.replace(/[^a-zA-Z0-9._-]/g, '_').slice(0, 249);
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? 'segment' : cleaned;
}
