/**
 * Topics, partitions and segments of a cluster, as the browse views show them.
 * Offsets are JSON numbers: exact up to 2^53, far beyond any real partition's log end.
 */
import { z } from 'zod';
import { ApiErrorDetail } from './errors';
import { ClusterId, Cluster } from './clusters';

/** Kafka's topic name rule: `[a-zA-Z0-9._-]`, 1–249 characters, not `.` or `..`. */
export const TopicName = z
  .string()
  .regex(/^[a-zA-Z0-9._-]{1,249}$/, 'letters, digits, ".", "_" and "-", at most 249')
  .refine((name) => name !== '.' && name !== '..', 'a topic cannot be named "." or ".."');

export const TopicParams = z.object({ cluster: ClusterId, topic: TopicName });
export const PartitionParams = TopicParams.extend({ partition: z.coerce.number().int().min(0) });

export const TopicSummary = z.object({
  name: z.string(),
  internal: z.boolean(),
  partitions: z.number().int(),
  replicationFactor: z.number().int(),
  /** Σ (high watermark − log start offset) over partitions. */
  messages: z.number(),
  /** Bytes on disk where the cluster tells (the local broker does; Kafka with DescribeLogDirs). */
  bytes: z.number().nullable(),
});
export type TopicSummary = z.infer<typeof TopicSummary>;

export const TopicList = z.object({ topics: z.array(TopicSummary) });

/** A damaged spot in a log file (offline sources): where, at which offset, what, and what the reader did. */
export const Damage = z.object({
  file: z.string(),
  position: z.number().int(),
  offset: z.number().nullable(),
  kind: z.enum(['TRUNCATED', 'LENGTH_PAST_EOF', 'ZERO_FILLED_TAIL', 'CRC_MISMATCH', 'CORRUPT']),
  message: z.string(),
  effect: z.enum(['skipped', 'stopped']),
  /** What happened and what it means for the data, in plain words. */
  explanation: z.string().optional(),
  /** Every offset of the file before this one is readable (null: nothing in the file is). */
  readableBefore: z.number().nullable().optional(),
});
export type Damage = z.infer<typeof Damage>;

export const PartitionDetails = z.object({
  partition: z.number().int(),
  leader: z.number().int(),
  replicas: z.array(z.number().int()),
  isr: z.array(z.number().int()),
  offlineReplicas: z.array(z.number().int()),
  logStartOffset: z.number(),
  highWatermark: z.number(),
  messages: z.number(),
  bytes: z.number().nullable(),
  segmentCount: z.number().int().nullable(),
  /** Offline sources: damage found in the partition's files so far (the segments view checks them all). */
  damage: z.array(Damage).optional(),
  /** Offline sources: true when every batch's CRC was checked, so `damage` is all there is. */
  damageChecked: z.boolean().optional(),
});
export type PartitionDetails = z.infer<typeof PartitionDetails>;

export const TopicDetails = z.object({
  name: z.string(),
  topicId: z.string().nullable(),
  internal: z.boolean(),
  partitions: z.array(PartitionDetails),
});
export type TopicDetails = z.infer<typeof TopicDetails>;

export const CreateTopicInput = z.object({
  name: TopicName,
  partitions: z.number().int().min(1).max(10_000).default(1),
  replicationFactor: z.number().int().min(1).max(32).default(1),
  /** Topic configs by Kafka name (`retention.ms`, `cleanup.policy`, …). */
  configs: z.record(z.string(), z.string()).default({}),
});

export const TopicConfigEntry = z.object({
  name: z.string(),
  value: z.string().nullable(),
  /** Where the value comes from, in Kafka's terms (`DYNAMIC_TOPIC_CONFIG`, `DEFAULT_CONFIG`, …). */
  source: z.string(),
  isDefault: z.boolean(),
  readOnly: z.boolean(),
  sensitive: z.boolean(),
});
export type TopicConfigEntry = z.infer<typeof TopicConfigEntry>;
export const TopicConfigs = z.object({ configs: z.array(TopicConfigEntry) });
/** Sets (string) or resets to default (null) topic configs by name. */
export const TopicConfigPatch = z.object({ configs: z.record(z.string(), z.string().nullable()) });

export const Segment = z.object({
  baseOffset: z.number(),
  lastOffset: z.number(),
  bytes: z.number(),
  records: z.number(),
  batches: z.number().nullable(),
  firstTimestamp: z.number().nullable(),
  lastTimestamp: z.number().nullable(),
  createdAt: z.number().nullable(),
  rolledAt: z.number().nullable(),
  active: z.boolean(),
  /** Offline sources: the segment's `.log` file, its index entry counts, and damage found in it. */
  file: z.string().optional(),
  indexEntries: z.number().int().nullable().optional(),
  timeIndexEntries: z.number().int().nullable().optional(),
  damage: z.array(Damage).optional(),
  /** Offline sources: why `.index`/`.timeindex` entries were ignored (stale, zero padding, missing). */
  indexNotes: z.array(z.string()).optional(),
});
export type Segment = z.infer<typeof Segment>;

/**
 * Offline sources: a KRaft snapshot (`<end offset>-<epoch>.checkpoint`) in `__cluster_metadata`'s
 * directory, the whole metadata up to its end offset. Its records are not among the partition's
 * messages (their offsets start at 0 again); `logscope dump FILE --records` prints them.
 */
export const KraftSnapshot = z.object({
  file: z.string(),
  /** The first log offset the snapshot does not hold. */
  endOffset: z.number(),
  epoch: z.number().int(),
  bytes: z.number(),
  batches: z.number(),
  /** Metadata records, header and footer not counted. */
  records: z.number(),
  /** From its SnapshotHeaderRecord: append time of the last log record it holds. */
  lastContainedLogTimestamp: z.number().nullable(),
  /** Starts with a SnapshotHeaderRecord and ends with a SnapshotFooterRecord. */
  complete: z.boolean(),
  notes: z.array(z.string()),
  damage: z.array(Damage),
});
export type KraftSnapshot = z.infer<typeof KraftSnapshot>;

export const SegmentList = z.object({
  /** False for external Kafka: its protocol does not expose segments. */
  supported: z.boolean(),
  message: z.string().optional(),
  segments: z.array(Segment),
  logStartOffset: z.number().nullable(),
  highWatermark: z.number().nullable(),
  /** Segments ending before this time are due for deletion by `retention.ms`. */
  retentionCutoffTimestamp: z.number().nullable(),
  /** Partition size on disk, from DescribeLogDirs, where segments are not available. */
  partitionBytes: z.number().nullable(),
  /** Offline sources: every damaged spot found in the partition's files so far. */
  damage: z.array(Damage).optional(),
  /** Offline sources, KRaft `__cluster_metadata`: its snapshot files, by end offset. */
  snapshots: z.array(KraftSnapshot).optional(),
});
export type SegmentList = z.infer<typeof SegmentList>;

export const BrokerInfo = z.object({
  id: z.number().int(),
  host: z.string(),
  port: z.number().int(),
  rack: z.string().nullable(),
  controller: z.boolean(),
});
export type BrokerInfo = z.infer<typeof BrokerInfo>;

export const ClusterOverview = z.object({
  clusterId: z.string().nullable(),
  brokers: z.array(BrokerInfo),
  topicCount: z.number().int(),
  partitionCount: z.number().int(),
  underReplicatedPartitions: z.array(z.object({ topic: z.string(), partition: z.number().int() })),
  offlinePartitions: z.array(z.object({ topic: z.string(), partition: z.number().int() })),
});
export type ClusterOverview = z.infer<typeof ClusterOverview>;

/** A cluster's settings and, when it could be reached, what it looks like now. */
export const ClusterDetails = Cluster.extend({
  overview: ClusterOverview.nullable(),
  /** Why the overview is missing (unreachable, authentication failed, …). */
  overviewError: ApiErrorDetail.optional(),
});
export type ClusterDetails = z.infer<typeof ClusterDetails>;

export const ConnectionTest = z.object({
  ok: z.boolean(),
  /** Milliseconds from connect to the first metadata answer. */
  latencyMs: z.number().nullable(),
  brokers: z.number().int().nullable(),
  error: ApiErrorDetail.optional(),
});
export type ConnectionTest = z.infer<typeof ConnectionTest>;
