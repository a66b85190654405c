/**
 * The commit log of a broker data directory: topics, partitions, segments, offsets and
 * consumer-group storage in one LevelDB database (DESIGN.md, "Storage").
 *
 *   const log = await CommitLog.open(dir, { defaults: { 'retention.ms': '3600000' } });
 *   await log.createTopic('events', { partitions: 3 });
 *   const { baseOffset } = await log.append('events', 0, batch, { durable: true });
 *   const { batches } = await log.read('events', 0, baseOffset, 1 << 20);
 *
 * Opening reads the topic, partition and segment keys; it never scans the log. Each
 * partition's tail batch is then checked in the background, and the partition serves nothing
 * until its own check is done (`ready` resolves when all are). Every failure is a `LogError`
 * carrying a Kafka error name and code.
 */
import { EventEmitter } from 'node:events';
import { setPartitionLeaderEpoch } from '../protocol/records/recordBatchHeader';
import { BatchIndexBudget } from './batchIndex';
import { validateBatch } from './batchValidation';
import { ConsumerGroupStore } from './consumerGroupStore';
import type { Database } from './database';
import { openDatabase } from './database';
import { DataDirError, LogError, storageError } from './errors';
import { GroupCommit } from './groupCommit';
import type { WriteOperation } from './groupCommit';
import {
  Prefix,
  decodePartitionKey,
  offsetOfSegmentKey,
  partitionKey,
  prefixRange,
  topicKey,
  topicPrefix,
  versionKey,
} from './keys';
import type {
  AppendResult,
  OffsetAndTimestamp,
  OffsetSpec,
  PartitionContext,
  PartitionSummary,
  ReadResult,
  SegmentDeletion,
  SegmentInfo,
  TailRecovery,
} from './partitionLog';
import { PartitionLog, readOnlyError } from './partitionLog';
import type { PartitionRecord, SegmentRecord } from './partitionState';
import {
  decodePartitionRecord,
  decodeSegmentRecord,
  encodePartitionRecord,
} from './partitionState';
import type { ConfigEntry, TopicConfig } from './topicConfig';
import { describeConfigs, resolveConfig, validateConfigs } from './topicConfig';
import { newTopicId, topicIdFromString, topicIdToString } from './topicId';
import { collisionName, validateTopicName } from './topicName';

/** The data directory format this code reads and writes (the `V` key). */
const FORMAT_VERSION = 1;
/** More partitions than a desktop broker should ever be asked for; Kafka has no fixed cap. */
const MAX_PARTITIONS = 10_000;

export interface CommitLogOptions {
  /**
   * Broker-level defaults of topic configs, by topic config name (`retention.ms`, …): what
   * `log.retention.ms` and friends in server.properties set.
   */
  defaults?: Readonly<Record<string, string>>;
  /** Partitions of a topic created without a count (`num.partitions`); default 1. */
  numPartitions?: number;
  /**
   * Opens for inspection: every change is refused, no retention runs, and nothing is
   * written. LevelDB itself still needs write access to the directory (its lock file).
   */
  readOnly?: boolean;
  /** How often retention runs in the background; 0 turns it off. Default 60 s. */
  retentionCheckIntervalMs?: number;
  /** Durable writes share syncs (default). Off: one sync per durable write (benchmarks). */
  groupCommit?: boolean;
  /** The clock for append times, segment age and retention (tests set it). */
  now?: () => number;
}

export interface TopicDescription {
  name: string;
  /** Kafka's text form of the topic id (22 characters of base64url). */
  id: string;
  partitions: number;
  /** The configs set on the topic itself, as given. */
  configs: Record<string, string>;
  /** The effective configuration (topic's own over broker defaults over Kafka's). */
  config: TopicConfig;
  createdMs: number;
}

export interface AppendEvent {
  topic: string;
  partition: number;
  highWatermark: number;
}

export interface LogEvents {
  /** Records became readable (Fetch long-polls wait for this). */
  append: [AppendEvent];
  topicCreated: [TopicDescription];
  topicDeleted: [{ name: string; id: string }];
  /** A retention pass dropped segments (from the background timer or `runRetention`). */
  retention: [RetentionResult[]];
  /** A background task (retention, a range delete) failed; the log keeps going. */
  backgroundError: [LogError];
}

export interface OpenReport {
  topics: number;
  partitions: number;
  /** Partitions whose tail batch was missing or damaged and was cut off (see `ready`). */
  recovered: TailRecovery[];
  /** Until `open()` resolved: the state read from keys. */
  openMs: number;
  /** Until every tail batch was checked (`ready`). */
  verifiedMs: number;
}

export interface RetentionResult extends SegmentDeletion {
  topic: string;
  partition: number;
}

/** The `T` value. */
interface StoredTopic {
  id: string;
  partitions: number;
  configs: Record<string, string>;
  createdMs: number;
}

interface TopicState extends StoredTopic {
  name: string;
  idBytes: Buffer;
  config: TopicConfig;
  logs: PartitionLog[];
}

export class CommitLog {
  readonly events = new EventEmitter<LogEvents>();
  readonly groups: ConsumerGroupStore;
  readonly openReport: OpenReport = {
    topics: 0,
    partitions: 0,
    recovered: [],
    openMs: 0,
    verifiedMs: 0,
  };
  private readonly topics = new Map<string, TopicState>();
  private readonly topicsById = new Map<string, TopicState>();
  private readonly groupCommit: GroupCommit;
  private readonly partitionContext: PartitionContext;
  private readonly pending = new Set<Promise<unknown>>();
  /** Topic ids with partition keys but no topic: deletions that a stop interrupted. */
  private orphans: Buffer[] = [];
  private metadataLock: Promise<unknown> = Promise.resolve();
  private retentionTimer: NodeJS.Timeout | undefined;
  private retentionRunning: Promise<RetentionResult[]> | undefined;
  private tailChecks: Promise<OpenReport> = Promise.resolve(this.openReport);
  private closed = false;

  private constructor(
    readonly dir: string,
    private readonly db: Database,
    private readonly options: ResolvedOptions,
    private readonly openStarted: number,
  ) {
    this.groupCommit = new GroupCommit(db, options.groupCommit);
    this.groups = new ConsumerGroupStore(db, this.groupCommit, () => this.checkWritable());
    this.partitionContext = {
      db,
      groupCommit: this.groupCommit,
      now: options.now,
      readOnly: options.readOnly,
      batchIndexBudget: new BatchIndexBudget(),
      dropRange: (gte, lt) => this.background(this.dropRange(gte, lt)),
      appended: (topic, partition, highWatermark) =>
        this.events.emit('append', { topic, partition, highWatermark }),
    };
  }

  /** Opens (or, unless read-only, creates) the log in `dir`. */
  static async open(dir: string, options: CommitLogOptions = {}): Promise<CommitLog> {
    const started = performance.now();
    const resolved: ResolvedOptions = {
      defaults: validateConfigs(options.defaults ?? {}),
      numPartitions: options.numPartitions ?? 1,
      readOnly: options.readOnly ?? false,
      retentionCheckIntervalMs: options.retentionCheckIntervalMs ?? 60_000,
      groupCommit: options.groupCommit ?? true,
      now: options.now ?? Date.now,
    };
    const db = await openDatabase(dir, !resolved.readOnly);
    const log = new CommitLog(dir, db, resolved, started);
    try {
      await log.load();
    } catch (error) {
      await db.close().catch(() => {});
      if (error instanceof LogError) throw error;
      const reason = `Cannot read the log in ${dir}: ${(error as Error).message}`;
      throw new DataDirError(dir, 'corrupt', reason, { cause: error });
    }
    log.openReport.openMs = performance.now() - started;
    if (!resolved.readOnly) {
      log.background(log.sweep());
      if (resolved.retentionCheckIntervalMs > 0) {
        log.retentionTimer = setInterval(() => {
          if (!log.retentionRunning) log.background(log.runRetention());
        }, resolved.retentionCheckIntervalMs);
        log.retentionTimer.unref();
      }
    }
    return log;
  }

  get readOnly(): boolean {
    return this.options.readOnly;
  }

  /** Durable writes requested, and the syncs that carried them (group commit at work). */
  get syncStats(): { durableWrites: number; syncs: number } {
    return { ...this.groupCommit.stats };
  }

  // ---- topics ------------------------------------------------------------------------

  listTopics(): TopicDescription[] {
    return [...this.topics.values()].map(describe).sort((a, b) => a.name.localeCompare(b.name));
  }

  hasTopic(name: string): boolean {
    return this.topics.has(name);
  }

  /** @throws UNKNOWN_TOPIC_OR_PARTITION */
  describeTopic(name: string): TopicDescription {
    return describe(this.topic(name));
  }

  /** The topic with this id (Kafka's text form), for requests that name topics by id. */
  topicById(id: string): TopicDescription | undefined {
    const topic = this.topicsById.get(id);
    return topic && describe(topic);
  }

  /** Every enforced config with its source, plus the other configs set on the topic. */
  describeConfigs(name: string): ConfigEntry[] {
    return describeConfigs(this.topic(name).configs, this.options.defaults);
  }

  /** The broker-level defaults the log was opened with, by topic config name. */
  get defaults(): Readonly<Record<string, string>> {
    return this.options.defaults;
  }

  /**
   * Creates a topic with a new id. `partitions` defaults to `numPartitions`.
   * @throws INVALID_TOPIC_EXCEPTION, TOPIC_ALREADY_EXISTS, INVALID_PARTITIONS, INVALID_CONFIG
   */
  createTopic(
    name: string,
    { partitions, configs = {}, validateOnly = false }: CreateTopicOptions = {},
  ): Promise<TopicDescription> {
    return this.withMetadataLock(async () => {
      this.checkWritable();
      validateTopicName(name);
      const count = partitions ?? this.options.numPartitions;
      checkPartitionCount(count);
      const topicConfigs = validateConfigs(configs);
      if (this.topics.has(name)) {
        throw new LogError('TOPIC_ALREADY_EXISTS', `Topic '${name}' already exists.`);
      }
      const collision = [...this.topics.keys()].find(
        (other) => collisionName(other) === collisionName(name),
      );
      if (collision) {
        throw new LogError(
          'INVALID_TOPIC_EXCEPTION',
          `Topic '${name}' collides with existing topic: ${collision} (names may not differ only by '.' and '_')`,
        );
      }
      const stored: StoredTopic = {
        id: topicIdToString(newTopicId()),
        partitions: count,
        configs: topicConfigs,
        createdMs: this.options.now(),
      };
      if (validateOnly) return describe(this.topicState(name, stored));
      const idBytes = topicIdFromString(stored.id)!;
      const operations: WriteOperation[] = [topicWrite(name, stored)];
      for (let partition = 0; partition < count; partition++) {
        operations.push(emptyPartitionWrite(idBytes, partition));
      }
      await this.write(`Creating topic ${name} failed`, operations);
      const topic = this.addTopic(name, stored);
      const description = describe(topic);
      this.events.emit('topicCreated', description);
      return description;
    });
  }

  /**
   * Deletes a topic: it is gone at once (a topic of the same name created later starts
   * empty, under a new id) and its data is deleted in the background. The consumer groups'
   * committed offsets for it go too, as in Kafka.
   */
  deleteTopic(name: string): Promise<{ name: string; id: string }> {
    return this.withMetadataLock(async () => {
      this.checkWritable();
      const topic = this.topic(name);
      const offsetKeys = await this.groups.offsetKeysOfTopic(name);
      const operations: WriteOperation[] = [{ type: 'del', key: topicKey(name) }];
      for (const key of offsetKeys) operations.push({ type: 'del', key });
      await this.write(`Deleting topic ${name} failed`, operations);
      this.topics.delete(name);
      this.topicsById.delete(topic.id);
      // Appends already queued finish first; then the data goes.
      this.background(
        Promise.all(topic.logs.map((log) => log.remove())).then(() =>
          this.purgeTopic(topic.idBytes),
        ),
      );
      this.events.emit('topicDeleted', { name, id: topic.id });
      return { name, id: topic.id };
    });
  }

  /**
   * Grows a topic to `count` partitions (Kafka's CreatePartitions takes the new total).
   * @throws INVALID_PARTITIONS when `count` is not larger than the current count
   */
  createPartitions(
    name: string,
    count: number,
    { validateOnly = false }: { validateOnly?: boolean } = {},
  ): Promise<TopicDescription> {
    return this.withMetadataLock(async () => {
      this.checkWritable();
      const topic = this.topic(name);
      checkPartitionCount(count);
      if (count <= topic.partitions) {
        throw new LogError(
          'INVALID_PARTITIONS',
          count === topic.partitions
            ? `Topic already has ${count} partitions.`
            : `Topic currently has ${topic.partitions} partitions, which is higher than the requested ${count}.`,
        );
      }
      const stored: StoredTopic = { ...storedOf(topic), partitions: count };
      if (validateOnly) return describe({ ...topic, partitions: count });
      const operations: WriteOperation[] = [topicWrite(name, stored)];
      for (let partition = topic.partitions; partition < count; partition++) {
        operations.push(emptyPartitionWrite(topic.idBytes, partition));
      }
      await this.write(`Adding partitions to ${name} failed`, operations);
      for (let partition = topic.partitions; partition < count; partition++) {
        topic.logs.push(this.partitionLog(topic, partition));
      }
      topic.partitions = count;
      return describe(topic);
    });
  }

  /**
   * Changes a topic's configs: `set` and `delete` (back to the default) as in Kafka's
   * IncrementalAlterConfigs, or with `replace` the whole set becomes `set` (AlterConfigs).
   * @throws INVALID_CONFIG
   */
  alterConfigs(name: string, change: AlterConfigsChange): Promise<TopicDescription> {
    return this.withMetadataLock(async () => {
      this.checkWritable();
      const topic = this.topic(name);
      const next: Record<string, string> = change.replace ? {} : { ...topic.configs };
      for (const key of change.delete ?? []) delete next[key];
      Object.assign(next, change.set ?? {});
      const configs = validateConfigs(next);
      const config = resolveConfig(configs, this.options.defaults);
      if (change.validateOnly) return describe({ ...topic, configs, config });
      await this.write(`Altering configs of ${name} failed`, [
        topicWrite(name, { ...storedOf(topic), configs }),
      ]);
      topic.configs = configs;
      topic.config = config;
      return describe(topic);
    });
  }

  // ---- partitions -------------------------------------------------------------------

  /**
   * Appends one record batch as a producer sent it. The log takes the buffer over: it writes
   * the assigned base offset into it (and, for LogAppendTime topics, the timestamp and CRC).
   * With `durable` (acks=-1) it resolves only after a synced write.
   * @throws UNKNOWN_TOPIC_OR_PARTITION, CORRUPT_MESSAGE, MESSAGE_TOO_LARGE,
   *   UNSUPPORTED_FOR_MESSAGE_FORMAT, KAFKA_STORAGE_ERROR
   */
  async append(
    topic: string,
    partition: number,
    batch: Buffer,
    { durable = false, partitionLeaderEpoch }: AppendOptions = {},
  ): Promise<AppendResult> {
    this.checkWritable();
    const state = this.topic(topic);
    const log = logOf(state, partition);
    const checked = validateBatch(batch, state.config.maxMessageBytes);
    if (partitionLeaderEpoch !== undefined) setPartitionLeaderEpoch(batch, partitionLeaderEpoch);
    return log.append(checked, durable);
  }

  /**
   * Whole batches from the one holding `offset` up to `maxBytes` (the first batch always,
   * whatever its size), with the partition's high watermark and log start offset.
   * @throws UNKNOWN_TOPIC_OR_PARTITION, OFFSET_OUT_OF_RANGE, KAFKA_STORAGE_ERROR
   */
  async read(
    topic: string,
    partition: number,
    offset: number,
    maxBytes: number,
  ): Promise<ReadResult> {
    this.checkOpen();
    return logOf(this.topic(topic), partition).read(offset, maxBytes);
  }

  /**
   * Kafka's ListOffsets: the earliest or latest offset, the first offset whose record
   * timestamp is ≥ a timestamp (through the sparse time index), or the record with the
   * largest timestamp. Kafka's special timestamps are understood: -2 earliest, -1 latest,
   * -3 max timestamp, -4 earliest local (the earliest, with no tiered storage). No match, or
   * another negative timestamp: offset -1.
   */
  async listOffset(
    topic: string,
    partition: number,
    spec: OffsetSpec,
  ): Promise<OffsetAndTimestamp> {
    this.checkOpen();
    const log = logOf(this.topic(topic), partition);
    if (typeof spec === 'number' && spec < 0) {
      const special = SPECIAL_TIMESTAMPS[spec];
      return special ? log.listOffset(special) : { offset: -1, timestamp: -1 };
    }
    return log.listOffset(spec);
  }

  /** Offsets and sizes of a partition. */
  partitionSummary(topic: string, partition: number): PartitionSummary {
    return logOf(this.topic(topic), partition).summary();
  }

  /** The partition's segments, oldest first; the last is active unless it was rolled. */
  segments(topic: string, partition: number): SegmentInfo[] {
    return logOf(this.topic(topic), partition).segments();
  }

  /**
   * The partition's batch index (batchIndex.ts): base offsets of the batches it holds, by
   * segment base offset, once builds in flight are done. For tests and diagnostics.
   */
  indexedBatches(topic: string, partition: number): Promise<Map<number, number[]>> {
    return logOf(this.topic(topic), partition).indexedBatches();
  }

  /**
   * Kafka's DeleteRecords: moves the log start offset up to `beforeOffset` (-1: the high
   * watermark) and deletes the segments wholly below it. Resolves to the new log start.
   * @throws OFFSET_OUT_OF_RANGE when `beforeOffset` is past the high watermark
   */
  async deleteRecords(topic: string, partition: number, beforeOffset: number): Promise<number> {
    this.checkWritable();
    return logOf(this.topic(topic), partition).deleteRecords(beforeOffset);
  }

  /**
   * One retention pass over every partition (what the background timer runs). The data of
   * the dropped segments is deleted in the background: `idle()` waits for it.
   */
  async runRetention(): Promise<RetentionResult[]> {
    this.checkWritable();
    // Cleared in a `.finally` callback, which always runs after this assignment: a pass that
    // finished synchronously (no topics yet) and cleared the field from inside would leave it
    // set to the finished pass, and the timer would never start another one.
    this.retentionRunning ??= this.retentionPass().finally(() => {
      this.retentionRunning = undefined;
    });
    return this.retentionRunning;
  }

  private async retentionPass(): Promise<RetentionResult[]> {
    const results: RetentionResult[] = [];
    const now = this.options.now();
    for (const topic of [...this.topics.values()]) {
      for (const log of topic.logs) {
        const deletion = await log.retention(now);
        if (deletion) results.push({ topic: topic.name, partition: log.partition, ...deletion });
      }
    }
    if (results.length > 0) this.events.emit('retention', results);
    return results;
  }

  /** Resolves when the background work started so far (range deletes, sweeps) is done. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /**
   * Finishes queued appends and background work, then closes the database. Unless
   * read-only, it first moves LevelDB's write buffer into a table file, so that the next
   * open has no write-ahead log to replay.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.retentionTimer);
    await this.tailChecks;
    await this.metadataLock.catch(() => {});
    await Promise.allSettled(
      [...this.topics.values()].flatMap((topic) =>
        topic.logs.map((log) => log.exclusive(async () => {})),
      ),
    );
    await this.idle();
    await this.groupCommit.idle();
    for (const topic of this.topics.values()) for (const log of topic.logs) log.closeCursors();
    if (!this.readOnly) {
      // An empty range: compacts nothing, but LevelDB flushes its memtable first.
      await this.db.compactRange(FLUSH_RANGE.gte, FLUSH_RANGE.lt).catch(() => {});
    }
    await this.db.close();
  }

  // ---- internals ----------------------------------------------------------------------

  /** Reads the state from the `V`, `T`, `P` and `S` keys and checks every tail batch. */
  private async load(): Promise<void> {
    const version = this.db.getSync(versionKey());
    if (version === undefined) {
      const [anyKey] = await this.db.keys({ limit: 1 }).all();
      if (anyKey) {
        throw new DataDirError(
          this.dir,
          'not-a-log',
          `${this.dir} holds a LevelDB database that is not a Logscope log`,
        );
      }
      if (!this.readOnly) {
        await this.db.put(versionKey(), Buffer.from(JSON.stringify({ format: FORMAT_VERSION })), {
          sync: true,
        });
      }
    } else {
      const { format } = JSON.parse(version.toString('utf8')) as { format: number };
      if (format !== FORMAT_VERSION) {
        throw new DataDirError(
          this.dir,
          'not-a-log',
          `${this.dir} has log format ${format}; this version reads format ${FORMAT_VERSION}`,
        );
      }
    }

    // P, S and T keys are neighbours (0x50, 0x53, 0x54): one range read gets them all.
    const entries = await this.db
      .iterator({
        gte: Buffer.from([Prefix.partition]),
        lt: Buffer.from([Prefix.topic + 1]),
        highWaterMarkBytes: 1 << 20, // in as few trips to LevelDB as possible
      })
      .all();
    const byPrefix = (prefix: number) => entries.filter(([key]) => key[0] === prefix);
    const [topicEntries, partitionEntries, segmentEntries] = [
      byPrefix(Prefix.topic),
      byPrefix(Prefix.partition),
      byPrefix(Prefix.segment),
    ];
    const records = new Map<string, PartitionRecord>();
    for (const [key, value] of partitionEntries!) {
      records.set(partitionId(key), decodePartitionRecord(value));
    }
    const segments = new Map<string, SegmentRecord[]>();
    for (const [key, value] of segmentEntries!) {
      const id = partitionId(key);
      const segment = decodeSegmentRecord(value);
      if (segment.baseOffset !== offsetOfSegmentKey(key))
        throw new Error(`segment key and value disagree in ${id}`);
      let list = segments.get(id);
      if (!list) segments.set(id, (list = []));
      list.push(segment);
    }
    for (const [key, value] of topicEntries!) {
      const stored = JSON.parse(value.toString('utf8')) as StoredTopic;
      const topic = this.addTopic(key.toString('utf8', 1), stored, (partition) => {
        const id = `${stored.id}/${partition}`;
        const loaded = { record: records.get(id), segments: segments.get(id) ?? [] };
        records.delete(id);
        return loaded;
      });
      this.openReport.partitions += topic.logs.length;
    }
    this.openReport.topics = this.topics.size;
    const orphanIds = new Set([...records.keys()].map((id) => id.slice(0, id.indexOf('/'))));
    this.orphans = [...orphanIds].map((id) => topicIdFromString(id)!);

    // The one read of the log itself: each partition's tail batch, all in one getMany, checked
    // in the background. Each partition serves nothing until its own check is done.
    const logs = [...this.topics.values()].flatMap((topic) => topic.logs);
    const withTail = logs.filter((log) => log.tailKey() !== undefined);
    const tails =
      withTail.length > 0 ? this.db.getMany(withTail.map((log) => log.tailKey()!)) : undefined;
    const checks = withTail.map(async (log, i) => {
      const recovery = await log.checkTail(tails!.then((values) => values[i]));
      if (recovery) this.openReport.recovered.push(recovery);
    });
    this.tailChecks = Promise.allSettled(checks).then((results) => {
      this.openReport.verifiedMs = performance.now() - this.openStarted;
      for (const result of results) {
        if (result.status === 'rejected') {
          this.events.emit(
            'backgroundError',
            storageError('Checking a tail batch failed', result.reason),
          );
        }
      }
      return this.openReport;
    });
  }

  /**
   * Resolves, with the open report, once every partition's tail batch has been checked (and
   * any damaged tail cut off). Open does not wait for it: each partition waits for its own
   * check before it serves a read or takes an append. Until then `partitionSummary` and
   * `segments` may still show a damaged tail that the check is about to cut.
   */
  get ready(): Promise<OpenReport> {
    return this.tailChecks;
  }

  /** After open: finishes interrupted deletions (of topics, of segments' batches). */
  private async sweep(): Promise<void> {
    for (const id of this.orphans) await this.purgeTopic(id);
    this.orphans = [];
    for (const topic of [...this.topics.values()]) {
      for (const log of topic.logs) {
        const range = log.strayRange();
        if (!range) continue;
        const stray = await this.db.keys({ ...range, limit: 1 }).all();
        if (stray.length > 0) await this.dropRange(range.gte, range.lt);
      }
    }
  }

  /** Deletes every key of a deleted topic; its partition keys last, so a stop can resume. */
  private async purgeTopic(id: Buffer): Promise<void> {
    for (const prefix of [Prefix.batch, Prefix.segment, Prefix.timeIndex, Prefix.partition]) {
      const range = prefixRange(topicPrefix(prefix, id));
      await this.dropRange(range.gte, range.lt);
    }
  }

  /** Deletes a key range, then compacts it so that LevelDB gives the disk space back. */
  private async dropRange(gte: Buffer, lt: Buffer): Promise<void> {
    await this.db.clear({ gte, lt });
    await this.db.compactRange(gte, lt);
  }

  private background(task: Promise<unknown>): void {
    const tracked = task.catch((error: unknown) => {
      this.events.emit(
        'backgroundError',
        error instanceof LogError ? error : storageError('Background task failed', error),
      );
    });
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
  }

  private addTopic(
    name: string,
    stored: StoredTopic,
    loaded?: (partition: number) => {
      record: PartitionRecord | undefined;
      segments: SegmentRecord[];
    },
  ): TopicState {
    const topic = this.topicState(name, stored);
    for (let partition = 0; partition < stored.partitions; partition++) {
      topic.logs.push(this.partitionLog(topic, partition, loaded?.(partition)));
    }
    this.topics.set(name, topic);
    this.topicsById.set(stored.id, topic);
    return topic;
  }

  private topicState(name: string, stored: StoredTopic): TopicState {
    const idBytes = topicIdFromString(stored.id);
    if (!idBytes) throw new Error(`topic ${name} has a malformed id "${stored.id}"`);
    return {
      ...stored,
      name,
      idBytes,
      config: resolveConfig(stored.configs, this.options.defaults),
      logs: [],
    };
  }

  private partitionLog(
    topic: TopicState,
    partition: number,
    loaded?: { record: PartitionRecord | undefined; segments: SegmentRecord[] },
  ): PartitionLog {
    return new PartitionLog(
      this.partitionContext,
      topic.idBytes,
      topic.name,
      partition,
      () => topic.config,
      loaded?.record ?? PartitionLog.emptyRecord(),
      loaded?.segments ?? [],
    );
  }

  private topic(name: string): TopicState {
    const topic = this.topics.get(name);
    if (!topic)
      throw new LogError('UNKNOWN_TOPIC_OR_PARTITION', `This server does not host topic ${name}`);
    return topic;
  }

  private checkOpen(): void {
    if (this.closed) throw new LogError('KAFKA_STORAGE_ERROR', `The log in ${this.dir} is closed`);
  }

  private checkWritable(): void {
    this.checkOpen();
    if (this.readOnly) throw readOnlyError();
  }

  private async write(what: string, operations: WriteOperation[]): Promise<void> {
    try {
      await this.groupCommit.write(operations, true);
    } catch (error) {
      throw storageError(what, error);
    }
  }

  private withMetadataLock<T>(run: () => Promise<T>): Promise<T> {
    const result = this.metadataLock.then(run, run);
    this.metadataLock = result.catch(() => {});
    return result;
  }
}

export interface CreateTopicOptions {
  partitions?: number;
  configs?: Readonly<Record<string, string>>;
  /** Check everything, change nothing (CreateTopics' validate_only). */
  validateOnly?: boolean;
}

export interface AppendOptions {
  /** Resolve only after a synced write (acks=-1). */
  durable?: boolean;
  /** The leader epoch to stamp on the batch, as a Kafka broker does on append. */
  partitionLeaderEpoch?: number;
}

export interface AlterConfigsChange {
  set?: Readonly<Record<string, string>>;
  delete?: readonly string[];
  replace?: boolean;
  validateOnly?: boolean;
}

/** Kafka's ListOffsets timestamps that name a position (ListOffsetsRequest constants). */
const SPECIAL_TIMESTAMPS: Record<number, OffsetSpec> = {
  [-1]: 'latest',
  [-2]: 'earliest',
  [-3]: 'maxTimestamp',
  [-4]: 'earliest',
};

type ResolvedOptions = Required<CommitLogOptions> & { defaults: Readonly<Record<string, string>> };

/** A key range before every key the log writes (all start with an ASCII capital). */
const FLUSH_RANGE = { gte: Buffer.from([0x00]), lt: Buffer.from([0x01]) };

function describe(topic: TopicState): TopicDescription {
  return {
    name: topic.name,
    id: topic.id,
    partitions: topic.partitions,
    configs: { ...topic.configs },
    config: topic.config,
    createdMs: topic.createdMs,
  };
}

const storedOf = (topic: TopicState): StoredTopic => ({
  id: topic.id,
  partitions: topic.partitions,
  configs: topic.configs,
  createdMs: topic.createdMs,
});

const topicWrite = (name: string, stored: StoredTopic): WriteOperation => ({
  type: 'put',
  key: topicKey(name),
  value: Buffer.from(JSON.stringify(stored)),
});

const emptyPartitionWrite = (topicId: Buffer, partition: number): WriteOperation => ({
  type: 'put',
  key: partitionKey(topicId, partition),
  value: encodePartitionRecord(PartitionLog.emptyRecord()),
});

function partitionId(key: Buffer): string {
  const { topicId, partition } = decodePartitionKey(key);
  return `${topicIdToString(topicId)}/${partition}`;
}

function logOf(topic: TopicState, partition: number): PartitionLog {
  const log = Number.isInteger(partition) ? topic.logs[partition] : undefined;
  if (!log) {
    throw new LogError(
      'UNKNOWN_TOPIC_OR_PARTITION',
      `This server does not host topic-partition ${topic.name}-${partition} (the topic has ${topic.partitions} partitions)`,
    );
  }
  return log;
}

function checkPartitionCount(count: number): void {
  if (!Number.isInteger(count) || count < 1 || count > MAX_PARTITIONS) {
    throw new LogError(
      'INVALID_PARTITIONS',
      `Number of partitions must be between 1 and ${MAX_PARTITIONS}, got ${count}.`,
    );
  }
}
