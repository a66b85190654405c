/**
 * A Kafka cluster reached through kafkajs: the local broker and every external cluster alike.
 *
 * Admin work (topics, configs, cluster metadata) goes through kafkajs's Admin. Reading goes
 * through kafkajs's own broker connections with direct Fetch requests at any offset: a
 * Consumer would first join a group (seconds of rebalancing), commit nothing useful, and read
 * only forward from wherever it was assigned, while a page of a browser needs random access —
 * one Fetch for one partition at one offset, answered in a millisecond or two. kafkajs has no
 * public API for that, so this module reaches the Cluster object that kafkajs builds for its
 * clients (the one thing here that leans on kafkajs internals; KafkaSource.open checks it is
 * there and fails with a clear message otherwise).
 */
import kafkajs, { type Admin, type Producer, type SASLOptions } from 'kafkajs';
import type { ConnectionOptions } from 'node:tls';
import type {
  BrokerInfo,
  ClusterOverview,
  ConnectionTest,
  PartitionDetails,
  TopicConfigEntry,
  TopicDetails,
  TopicSummary,
} from '../api';
import type { z } from 'zod';
import type { CreateTopicInput, ProduceResult } from '../api';
import { ApiError, notFound } from '../http/apiError';
import type { FetchRequest, FetchResult, LogReader, PartitionOffsets } from '../browse/logReader';
import type { RawHeader, RawRecord } from '../browse/record';
import { RecordSizeEstimate } from '../browse/partitionScan';
import { registerKafkaCodecs } from './kafkaCodecs';
import { kafkaError, type KafkaErrorContext } from './kafkaErrors';
import {
  decodeFetchedRecords,
  FetchPartitionError,
  rawFetchVersion,
  sendRawFetch,
  type FetchBroker,
} from './kafkaFetch';
import { BatchProducer, type BatchProducerOptions, type ProducerCluster } from './batchProducer';

export interface KafkaSourceSettings {
  brokers: string[];
  clientId?: string;
  sasl?: {
    mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
    username: string;
    password?: string;
  };
  tls?: {
    enabled: boolean;
    ca?: string;
    cert?: string;
    key?: string;
    serverName?: string;
    rejectUnauthorized: boolean;
  };
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
}

/** The parts of kafkajs's internal Cluster and Broker that reading uses. */
interface InternalMetadata {
  brokers: { nodeId: number; host: string; port: number; rack: string | null }[];
  clusterId?: string;
  controllerId?: number;
  topicMetadata: {
    topicErrorCode: number;
    topic: string;
    isInternal?: boolean;
    partitionMetadata: {
      partitionErrorCode: number;
      partitionId: number;
      leader: number;
      replicas: number[];
      isr: number[];
      offlineReplicas?: number[];
    }[];
  }[];
}
interface InternalMessage {
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
  isControlRecord?: boolean;
  batchContext?: { firstOffset: string; lastOffsetDelta: number; timestampType: number };
}
interface InternalBroker extends FetchBroker {
  fetch(request: {
    replicaId?: number;
    isolationLevel: number;
    maxWaitTime: number;
    minBytes: number;
    maxBytes: number;
    topics: {
      topic: string;
      partitions: { partition: number; fetchOffset: string; maxBytes: number }[];
    }[];
  }): Promise<{
    responses: {
      topicName: string;
      partitions: {
        partition: number;
        errorCode: number;
        highWatermark: string;
        logStartOffset?: string;
        messages: InternalMessage[];
      }[];
    }[];
  }>;
}
interface InternalCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  metadata(options?: { topics?: string[] }): Promise<InternalMetadata>;
  addTargetTopic(topic: string): Promise<void>;
  addMultipleTargetTopics(topics: string[]): Promise<void>;
  refreshMetadata(): Promise<void>;
  refreshMetadataIfNecessary(): Promise<void>;
  findTopicPartitionMetadata(topic: string): { partitionId: number }[];
  findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
  findBroker(options: { nodeId: string }): Promise<InternalBroker>;
  fetchTopicsOffset(
    topics: {
      topic: string;
      partitions: { partition: number }[];
      fromBeginning?: boolean;
      fromTimestamp?: number;
    }[],
  ): Promise<{ topic: string; partitions: { partition: number; offset: string }[] }[]>;
  targetTopics: Set<string>;
}

// kafkajs is CommonJS: Node's ESM loader cannot see all of its named exports.
const { Kafka, logLevel } = kafkajs;

/** Read everything up to the high watermark: a browser shows what is there. */
const READ_UNCOMMITTED = 0;
/** Kafka's OFFSET_OUT_OF_RANGE error code. */
const OFFSET_OUT_OF_RANGE = 1;

const mechanismName: Record<string, string> = {
  plain: 'plain',
  'scram-sha-256': 'scram-sha-256',
  'scram-sha-512': 'scram-sha-512',
};

export function kafkaConfig(settings: KafkaSourceSettings) {
  let ssl: boolean | ConnectionOptions | undefined;
  if (settings.tls?.enabled) {
    const tls = settings.tls;
    const options: ConnectionOptions = { rejectUnauthorized: tls.rejectUnauthorized };
    if (tls.ca) options.ca = [tls.ca];
    if (tls.cert) options.cert = tls.cert;
    if (tls.key) options.key = tls.key;
    if (tls.serverName) options.servername = tls.serverName;
    ssl = options;
  }
  let sasl: SASLOptions | undefined;
  if (settings.sasl) {
    sasl = {
      mechanism: mechanismName[settings.sasl.mechanism],
      username: settings.sasl.username,
      password: settings.sasl.password ?? '',
    } as SASLOptions;
  }
  return {
    brokers: settings.brokers,
    clientId: settings.clientId ?? 'logscope',
    ssl,
    sasl,
    connectionTimeout: settings.connectionTimeoutMs ?? 5000,
    authenticationTimeout: settings.connectionTimeoutMs ?? 5000,
    requestTimeout: settings.requestTimeoutMs ?? 30_000,
    // A browser asks again itself; long kafkajs retry chains would only delay a clear error.
    retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 },
    logLevel: logLevel.NOTHING,
  };
}

const CREATE_CLUSTER = 'private:Kafka:createCluster';

export class KafkaSource implements LogReader {
  private readonly kafka: InstanceType<typeof Kafka>;
  private admin: Promise<Admin> | null = null;
  private cluster: Promise<InternalCluster> | null = null;
  private producer: Promise<Producer> | null = null;
  private readonly sizeEstimates = new Map<string, RecordSizeEstimate>();
  private closed = false;

  constructor(private readonly settings: KafkaSourceSettings) {
    this.kafka = new Kafka(kafkaConfig(settings));
  }

  /** Error context: where and how this source connects. */
  context(action?: string): KafkaErrorContext {
    const context: KafkaErrorContext = {
      servers: this.settings.brokers,
      tls: this.settings.tls?.enabled ?? false,
    };
    if (action !== undefined) context.action = action;
    return context;
  }

  /** Record size estimate for a topic, shared by its pages. */
  sizes(topic: string): RecordSizeEstimate {
    let estimate = this.sizeEstimates.get(topic);
    if (!estimate) {
      estimate = new RecordSizeEstimate();
      this.sizeEstimates.set(topic, estimate);
    }
    return estimate;
  }

  /** Connects, asks for metadata, and says precisely what went wrong if it could not. */
  async test(): Promise<ConnectionTest> {
    const started = performance.now();
    try {
      const cluster = await this.internalCluster();
      const metadata = await cluster.metadata({ topics: [] });
      return {
        ok: true,
        latencyMs: Math.round(performance.now() - started),
        brokers: metadata.brokers.length,
      };
    } catch (error) {
      this.reset();
      return {
        ok: false,
        latencyMs: null,
        brokers: null,
        error: kafkaError(error, this.context('connect')).toDetail(),
      };
    }
  }

  async overview(): Promise<ClusterOverview> {
    const metadata = await this.run('read the cluster metadata', (c) => c.metadata({ topics: [] }));
    const under: ClusterOverview['underReplicatedPartitions'] = [];
    const offline: ClusterOverview['offlinePartitions'] = [];
    let partitionCount = 0;
    for (const topic of metadata.topicMetadata) {
      for (const p of topic.partitionMetadata) {
        partitionCount++;
        if (p.leader < 0 || (p.offlineReplicas?.length ?? 0) === p.replicas.length) {
          offline.push({ topic: topic.topic, partition: p.partitionId });
        } else if (p.isr.length < p.replicas.length) {
          under.push({ topic: topic.topic, partition: p.partitionId });
        }
      }
    }
    const brokers: BrokerInfo[] = metadata.brokers
      .map((b) => ({
        id: b.nodeId,
        host: b.host,
        port: b.port,
        rack: b.rack ?? null,
        controller: b.nodeId === metadata.controllerId,
      }))
      .sort((a, b) => a.id - b.id);
    return {
      clusterId: metadata.clusterId ?? null,
      brokers,
      topicCount: metadata.topicMetadata.length,
      partitionCount,
      underReplicatedPartitions: under,
      offlinePartitions: offline,
    };
  }

  /** Every topic with its partition count and message count (two ListOffsets per broker). */
  async listTopics(bytesByTopic?: Map<string, number>): Promise<TopicSummary[]> {
    return this.run('list the topics', async (cluster) => {
      const metadata = await cluster.metadata({ topics: [] });
      const topics = metadata.topicMetadata.filter((t) => t.partitionMetadata.length > 0);
      // kafkajs locates partition leaders from the metadata of its target topics.
      await cluster.addMultipleTargetTopics(topics.map((t) => t.topic));
      const messages = await this.messageCounts(
        cluster,
        topics.map((t) => ({
          topic: t.topic,
          partitions: t.partitionMetadata.map((p) => p.partitionId),
        })),
      );
      return topics
        .map((t) => ({
          name: t.topic,
          internal: t.isInternal ?? t.topic.startsWith('__'),
          partitions: t.partitionMetadata.length,
          replicationFactor: Math.max(0, ...t.partitionMetadata.map((p) => p.replicas.length)),
          messages: [...(messages.get(t.topic)?.values() ?? [])].reduce(
            (sum, p) => sum + (p.highWatermark - p.logStartOffset),
            0,
          ),
          bytes: bytesByTopic?.get(t.topic) ?? null,
        }))
        .sort((a, b) => a.name.localeCompare(b.name));
    });
  }

  async describeTopic(
    topic: string,
    extra: Map<number, { bytes: number | null; segmentCount: number | null }> = new Map(),
  ): Promise<TopicDetails> {
    return this.run(`describe topic "${topic}"`, async (cluster) => {
      const found = await this.topicMetadata(cluster, topic);
      const offsets = await this.messageCounts(cluster, [
        { topic, partitions: found.partitionMetadata.map((p) => p.partitionId) },
      ]);
      const partitions: PartitionDetails[] = found.partitionMetadata
        .map((p) => {
          const o = offsets.get(topic)?.get(p.partitionId) ?? {
            logStartOffset: 0,
            highWatermark: 0,
          };
          return {
            partition: p.partitionId,
            leader: p.leader,
            replicas: p.replicas,
            isr: p.isr,
            offlineReplicas: p.offlineReplicas ?? [],
            logStartOffset: o.logStartOffset,
            highWatermark: o.highWatermark,
            messages: o.highWatermark - o.logStartOffset,
            bytes: extra.get(p.partitionId)?.bytes ?? null,
            segmentCount: extra.get(p.partitionId)?.segmentCount ?? null,
          };
        })
        .sort((a, b) => a.partition - b.partition);
      return {
        name: topic,
        topicId: null,
        internal: found.isInternal ?? topic.startsWith('__'),
        partitions,
      };
    });
  }

  async createTopic(input: z.infer<typeof CreateTopicInput>): Promise<void> {
    const admin = await this.connectedAdmin();
    try {
      const created = await admin.createTopics({
        waitForLeaders: true,
        topics: [
          {
            topic: input.name,
            numPartitions: input.partitions,
            replicationFactor: input.replicationFactor,
            configEntries: Object.entries(input.configs).map(([name, value]) => ({ name, value })),
          },
        ],
      });
      if (!created) {
        throw new ApiError('CONFLICT', `A topic named "${input.name}" already exists.`, {
          kafkaError: 'TOPIC_ALREADY_EXISTS',
        });
      }
    } catch (error) {
      throw kafkaError(error, this.context(`create topic "${input.name}"`));
    }
  }

  async deleteTopic(topic: string): Promise<void> {
    const admin = await this.connectedAdmin();
    try {
      await admin.deleteTopics({ topics: [topic] });
    } catch (error) {
      throw kafkaError(error, this.context(`delete topic "${topic}"`));
    } finally {
      // kafkajs's metadata cache keeps the topic and trips over it later: start it afresh.
      this.resetCluster();
      this.sizeEstimates.delete(topic);
    }
  }

  async topicConfigs(topic: string): Promise<TopicConfigEntry[]> {
    const admin = await this.connectedAdmin();
    try {
      const described = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: 2 /* TOPIC */, name: topic }],
      });
      const resource = described.resources[0];
      if (!resource) throw notFound(`Topic "${topic}"`);
      return resource.configEntries
        .map((entry) => ({
          name: entry.configName,
          value: entry.isSensitive ? null : (entry.configValue ?? null),
          source: CONFIG_SOURCES[entry.configSource] ?? 'UNKNOWN',
          isDefault: entry.isDefault,
          readOnly: entry.readOnly,
          sensitive: entry.isSensitive,
        }))
        .sort((a, b) => a.name.localeCompare(b.name));
    } catch (error) {
      throw kafkaError(error, this.context(`read the configs of topic "${topic}"`));
    }
  }

  /**
   * Sets and resets topic configs. kafkajs speaks only the original AlterConfigs, which
   * replaces a topic's whole set of overrides, so the current overrides are read first and the
   * patch applied on top of them.
   */
  async alterTopicConfigs(topic: string, patch: Record<string, string | null>): Promise<void> {
    const current = await this.topicConfigs(topic);
    const overrides = new Map(
      current
        .filter((entry) => entry.source === 'DYNAMIC_TOPIC_CONFIG' && entry.value !== null)
        .map((entry) => [entry.name, entry.value!]),
    );
    for (const [name, value] of Object.entries(patch)) {
      if (value === null) overrides.delete(name);
      else overrides.set(name, value);
    }
    const admin = await this.connectedAdmin();
    try {
      await admin.alterConfigs({
        validateOnly: false,
        resources: [
          {
            type: 2 /* TOPIC */,
            name: topic,
            configEntries: [...overrides].map(([name, value]) => ({ name, value })),
          },
        ],
      });
    } catch (error) {
      throw kafkaError(error, this.context(`change the configs of topic "${topic}"`));
    }
  }

  async produce(
    topic: string,
    message: { partition?: number; key: Buffer | null; value: Buffer | null; headers: RawHeader[] },
  ): Promise<ProduceResult> {
    const producer = await this.connectedProducer();
    try {
      const headers: Record<string, Buffer | Buffer[]> = Object.create(null);
      for (const header of message.headers) {
        if (header.value === null) continue; // kafkajs cannot send a null header value
        const existing = headers[header.key];
        if (existing === undefined) headers[header.key] = header.value;
        else
          headers[header.key] = [
            ...(Array.isArray(existing) ? existing : [existing]),
            header.value,
          ];
      }
      // The time is set here so that it can be returned: a CreateTime topic's ack carries none.
      const createTime = Date.now();
      const [result] = await producer.send({
        topic,
        acks: -1,
        messages: [
          {
            timestamp: String(createTime),
            key: message.key,
            value: message.value,
            headers,
            ...(message.partition !== undefined ? { partition: message.partition } : {}),
          },
        ],
      });
      if (!result) throw new ApiError('KAFKA_ERROR', 'The broker did not acknowledge the message.');
      const timestamp = Number(result.logAppendTime ?? '-1');
      return {
        partition: result.partition,
        offset: Number(result.baseOffset ?? result.offset),
        timestamp: timestamp >= 0 ? timestamp : createTime,
      };
    } catch (error) {
      throw kafkaError(error, this.context(`produce to topic "${topic}"`));
    }
  }

  /** A kafkajs producer on this cluster, for bulk work (the demo data). */
  async connectedProducer(): Promise<Producer> {
    this.producer ??= (async () => {
      const producer = this.kafka.producer({ allowAutoTopicCreation: false, idempotent: false });
      await producer.connect();
      return producer;
    })();
    try {
      return await this.producer;
    } catch (error) {
      this.producer = null;
      throw kafkaError(error, this.context('connect a producer'));
    }
  }

  /**
   * Commits a consumer group's offsets outside any generation, as Kafka's admin tools do (the
   * coordinator accepts it only while the group has no members).
   */
  async commitGroupOffsets(
    groupId: string,
    topic: string,
    partitions: { partition: number; offset: number }[],
  ): Promise<void> {
    await this.run(`commit offsets of group "${groupId}"`, async (cluster) => {
      const coordinator = await (
        cluster as unknown as {
          findGroupCoordinator(o: { groupId: string }): Promise<{
            offsetCommit(request: {
              groupId: string;
              groupGenerationId: number;
              memberId: string;
              topics: { topic: string; partitions: { partition: number; offset: string }[] }[];
            }): Promise<unknown>;
          }>;
        }
      ).findGroupCoordinator({ groupId });
      await coordinator.offsetCommit({
        groupId,
        groupGenerationId: -1,
        memberId: '',
        topics: [
          {
            topic,
            partitions: partitions.map((p) => ({
              partition: p.partition,
              offset: String(p.offset),
            })),
          },
        ],
      });
    });
  }

  /**
   * A producer of whole record batches (idempotent, several requests in flight) on a kafkajs
   * Cluster of its own, for one bulk job (replay, import); the caller closes it.
   */
  async batchProducer(options: BatchProducerOptions): Promise<BatchProducer> {
    if (this.closed) throw new ApiError('UNAVAILABLE', 'This connection was closed.');
    try {
      const symbol = Object.getOwnPropertySymbols(this.kafka).find(
        (s) => s.description === CREATE_CLUSTER,
      );
      const create = symbol
        ? (this.kafka as unknown as Record<symbol, (options: object) => ProducerCluster>)[symbol]
        : undefined;
      if (typeof create !== 'function')
        throw new Error(
          'this kafkajs version does not expose its cluster factory; Logscope needs kafkajs 2.x',
        );
      // Batches stay within the topic's max.message.bytes (the broker refuses a larger batch
      // even when each record would fit).
      const limit = await this.topicConfigs(options.topic)
        .then((configs) => Number(configs.find((c) => c.name === 'max.message.bytes')?.value))
        .catch(() => NaN);
      const cluster = create({ allowAutoTopicCreation: false, metadataMaxAge: 60_000 });
      return await BatchProducer.open(cluster, {
        ...(limit > 0 ? { maxBatchBytes: limit } : {}),
        ...options,
      });
    } catch (error) {
      throw kafkaError(error, this.context(`produce to topic "${options.topic}"`));
    }
  }

  async connectedAdmin(): Promise<Admin> {
    this.admin ??= (async () => {
      await registerKafkaCodecs();
      const admin = this.kafka.admin({ retry: { retries: 2 } });
      await admin.connect();
      return admin;
    })();
    try {
      return await this.admin;
    } catch (error) {
      this.admin = null;
      throw kafkaError(error, this.context('connect'));
    }
  }

  // LogReader

  async offsets(topic: string): Promise<PartitionOffsets[]> {
    return this.run(`read the offsets of topic "${topic}"`, async (cluster) => {
      const partitions = await this.partitionsOf(cluster, topic);
      const counts = await this.messageCounts(cluster, [{ topic, partitions }]);
      return partitions.map((partition) => ({
        partition,
        ...(counts.get(topic)?.get(partition) ?? { logStartOffset: 0, highWatermark: 0 }),
      }));
    });
  }

  /**
   * The high watermark of every partition of `topics` (topic → partition → offset), asked in
   * one ListOffsets request per broker for all of them (the metrics poller's tick): kafkajs
   * groups the partitions by leader. A topic that no longer exists is left out.
   */
  async highWatermarks(topics: string[]): Promise<Map<string, Map<number, number>>> {
    return this.run('read the high watermarks', async (cluster) => {
      const metadata = await cluster.metadata({ topics });
      const found = metadata.topicMetadata.filter(
        (t) => t.topicErrorCode === 0 && t.partitionMetadata.length > 0,
      );
      await cluster.addMultipleTargetTopics(found.map((t) => t.topic));
      const latest = await cluster.fetchTopicsOffset(
        found.map((t) => ({
          topic: t.topic,
          partitions: t.partitionMetadata.map((p) => ({ partition: p.partitionId })),
          fromBeginning: false,
        })),
      );
      return new Map(
        latest.map((t) => [
          t.topic,
          new Map(t.partitions.map((p) => [p.partition, Number(p.offset)])),
        ]),
      );
    });
  }

  async offsetsForTimestamp(
    topic: string,
    partitions: number[],
    timestamp: number,
  ): Promise<Map<number, number>> {
    return this.run(`look up offsets by time in topic "${topic}"`, async (cluster) => {
      await cluster.addTargetTopic(topic);
      const [byTime, latest] = await Promise.all([
        cluster.fetchTopicsOffset([
          {
            topic,
            partitions: partitions.map((partition) => ({ partition })),
            fromTimestamp: timestamp,
          },
        ]),
        cluster.fetchTopicsOffset([
          {
            topic,
            partitions: partitions.map((partition) => ({ partition })),
            fromBeginning: false,
          },
        ]),
      ]);
      const result = new Map<number, number>();
      for (const p of latest[0]?.partitions ?? []) result.set(p.partition, Number(p.offset));
      for (const p of byTime[0]?.partitions ?? []) {
        // -1: no message at or after the time; the answer is the end of the partition.
        if (Number(p.offset) >= 0) result.set(p.partition, Number(p.offset));
      }
      return result;
    });
  }

  /**
   * One Fetch per partition leader, answered together. Sent as a raw Fetch (kafkaFetch.ts) so
   * the records are decoded by the project's codecs; `wanted` (an engine-internal hint) lets a
   * sample build only the records it asked for. A broker without Fetch v4-v11 is read through
   * kafkajs's own Fetch.
   */
  async fetch(
    topic: string,
    requests: FetchRequest[],
    options: {
      maxWaitMs?: number;
      signal?: AbortSignal;
      wanted?: (partition: number, offset: number) => boolean;
    } = {},
  ): Promise<Map<number, FetchResult & { bytes?: number }>> {
    return this.run(`read topic "${topic}"`, async (cluster) => {
      await cluster.addTargetTopic(topic);
      const leaders = cluster.findLeaderForPartitions(
        topic,
        requests.map((r) => r.partition),
      );
      const results = new Map<number, FetchResult & { bytes?: number }>();
      await Promise.all(
        Object.entries(leaders).map(async ([nodeId, partitions]) => {
          const broker = await cluster.findBroker({ nodeId });
          const mine = requests.filter((r) => partitions.includes(r.partition));
          const version = rawFetchVersion(broker);
          let outOfRange: FetchRequest[] = [];
          if (version !== null) {
            const answered = await sendRawFetch(broker, version, {
              topic,
              isolationLevel: READ_UNCOMMITTED,
              maxWaitMs: options.maxWaitMs ?? 0,
              maxBytes: mine.reduce((sum, r) => sum + r.maxBytes, 0),
              partitions: mine.map((r) => ({
                partition: r.partition,
                fetchOffset: r.offset,
                partitionMaxBytes: r.maxBytes,
              })),
            });
            for (const part of answered) {
              const request = mine.find((r) => r.partition === part.partitionIndex);
              if (!request) continue;
              if (part.errorCode === OFFSET_OUT_OF_RANGE) {
                outOfRange.push(request);
                continue;
              }
              if (part.errorCode !== 0) throw new FetchPartitionError(part.errorCode);
              const wanted = options.wanted;
              const decoded = decodeFetchedRecords(
                part.partitionIndex,
                part.records,
                request.offset,
                wanted ? (offset) => wanted(part.partitionIndex, offset) : undefined,
              );
              results.set(part.partitionIndex, {
                records: decoded.records,
                // The bytes the broker sent (readOffsets sizes its next fetches by them).
                bytes: part.records?.length ?? 0,
                nextOffset: decoded.nextOffset,
                highWatermark: Number(part.highWatermark),
                logStartOffset: part.logStartOffset >= 0n ? Number(part.logStartOffset) : 0,
              });
            }
          } else {
            try {
              const response = await broker.fetch({
                isolationLevel: READ_UNCOMMITTED,
                maxWaitTime: options.maxWaitMs ?? 0,
                minBytes: 1,
                maxBytes: mine.reduce((sum, r) => sum + r.maxBytes, 0),
                topics: [
                  {
                    topic,
                    partitions: mine.map((r) => ({
                      partition: r.partition,
                      fetchOffset: String(r.offset),
                      maxBytes: r.maxBytes,
                    })),
                  },
                ],
              });
              for (const part of response.responses[0]?.partitions ?? []) {
                const request = mine.find((r) => r.partition === part.partition)!;
                results.set(part.partition, toFetchResult(part, request.offset));
              }
            } catch (error) {
              if ((error as { type?: string }).type !== 'OFFSET_OUT_OF_RANGE') throw error;
              outOfRange = mine;
            }
          }
          if (outOfRange.length === 0) return;
          // Retention moved the log start past the offset: answer with the new bounds, and
          // the caller moves on to them.
          const bounds = await this.messageCounts(cluster, [
            { topic, partitions: outOfRange.map((r) => r.partition) },
          ]);
          for (const r of outOfRange) {
            const b = bounds.get(topic)?.get(r.partition) ?? {
              logStartOffset: r.offset,
              highWatermark: r.offset,
            };
            results.set(r.partition, { records: [], nextOffset: r.offset, ...b });
          }
        }),
      );
      options.signal?.throwIfAborted();
      for (const r of requests) {
        if (!results.has(r.partition))
          throw notFound(`Partition ${r.partition} of topic "${topic}"`);
      }
      return results;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const pending = [this.admin, this.cluster, this.producer];
    this.admin = this.cluster = this.producer = null;
    await Promise.all(
      pending.map(async (p) => {
        const client = await p?.catch(() => null);
        await client?.disconnect().catch(() => undefined);
      }),
    );
  }

  /** Drops the reading connection, so the next call builds it (and its metadata) anew. */
  private resetCluster(): void {
    const cluster = this.cluster;
    this.cluster = null;
    void cluster?.then((c) => c.disconnect()).catch(() => undefined);
  }

  /** Drops connections after a failure, so the next call connects afresh. */
  private reset(): void {
    const pending = [this.admin, this.cluster, this.producer];
    this.admin = this.cluster = this.producer = null;
    for (const p of pending) {
      void p?.then((client) => client.disconnect()).catch(() => undefined);
    }
  }

  private async internalCluster(): Promise<InternalCluster> {
    if (this.closed) throw new ApiError('UNAVAILABLE', 'This connection was closed.');
    this.cluster ??= (async () => {
      await registerKafkaCodecs();
      const symbol = Object.getOwnPropertySymbols(this.kafka).find(
        (s) => s.description === CREATE_CLUSTER,
      );
      const create = symbol
        ? (this.kafka as unknown as Record<symbol, unknown>)[symbol]
        : undefined;
      if (typeof create !== 'function') {
        throw new Error(
          'this kafkajs version does not expose its cluster factory; Logscope needs kafkajs 2.x',
        );
      }
      const cluster = (create as (options: object) => InternalCluster)({
        allowAutoTopicCreation: false,
        isolationLevel: READ_UNCOMMITTED,
        metadataMaxAge: 60_000,
      });
      await cluster.connect();
      return cluster;
    })();
    try {
      return await this.cluster;
    } catch (error) {
      this.cluster = null;
      throw error;
    }
  }

  /** Runs work on the internal cluster and turns any failure into an ApiError. */
  private async run<T>(action: string, work: (cluster: InternalCluster) => Promise<T>): Promise<T> {
    try {
      try {
        return await work(await this.internalCluster());
      } catch (error) {
        // A TypeError is kafkajs's metadata cache in a broken state (a topic deleted under
        // it): rebuild the connection and try once more.
        if (!(error instanceof TypeError)) throw error;
        this.resetCluster();
        return await work(await this.internalCluster());
      }
    } catch (error) {
      if (error instanceof ApiError) throw error;
      if ((error as { type?: string }).type === 'UNKNOWN_TOPIC_OR_PARTITION') {
        // A topic deleted elsewhere would poison every later metadata refresh.
        this.resetCluster();
      }
      const name = (error as { name?: string }).name ?? '';
      if (/Connection|Timeout|BrokerNotFound|NumberOfRetries/.test(name)) this.reset();
      throw kafkaError(error, this.context(action));
    }
  }

  /**
   * The partitions of a topic from kafkajs's metadata cache (refreshed when older than its
   * max age): every page asks for offsets, and a Metadata round trip each time would cost as
   * much as the fetch itself.
   */
  private async partitionsOf(cluster: InternalCluster, topic: string): Promise<number[]> {
    if (cluster.targetTopics.has(topic)) {
      await cluster.refreshMetadataIfNecessary();
      try {
        return cluster
          .findTopicPartitionMetadata(topic)
          .map((p) => p.partitionId)
          .sort((a, b) => a - b);
      } catch {
        // not in the cache after all: ask the cluster below
      }
    }
    const found = await this.topicMetadata(cluster, topic);
    return found.partitionMetadata.map((p) => p.partitionId).sort((a, b) => a - b);
  }

  private async topicMetadata(cluster: InternalCluster, topic: string) {
    const metadata = await cluster.metadata({ topics: [topic] }).catch((error: unknown) => {
      if ((error as { type?: string }).type === 'UNKNOWN_TOPIC_OR_PARTITION') {
        throw notFound(`Topic "${topic}"`);
      }
      throw error;
    });
    const found = metadata.topicMetadata.find((t) => t.topic === topic);
    if (!found || found.topicErrorCode === 3) throw notFound(`Topic "${topic}"`);
    await cluster.addTargetTopic(topic);
    return found;
  }

  private async messageCounts(
    cluster: InternalCluster,
    topics: { topic: string; partitions: number[] }[],
  ): Promise<Map<string, Map<number, { logStartOffset: number; highWatermark: number }>>> {
    const result = new Map<
      string,
      Map<number, { logStartOffset: number; highWatermark: number }>
    >();
    const wanted = topics.filter((t) => t.partitions.length > 0);
    if (wanted.length === 0) return result;
    const request = (fromBeginning: boolean) =>
      cluster.fetchTopicsOffset(
        wanted.map((t) => ({
          topic: t.topic,
          partitions: t.partitions.map((partition) => ({ partition })),
          fromBeginning,
        })),
      );
    const [earliest, latest] = await Promise.all([request(true), request(false)]);
    for (const t of latest) {
      const map = new Map<number, { logStartOffset: number; highWatermark: number }>();
      for (const p of t.partitions)
        map.set(p.partition, { logStartOffset: 0, highWatermark: Number(p.offset) });
      result.set(t.topic, map);
    }
    for (const t of earliest) {
      for (const p of t.partitions) {
        const entry = result.get(t.topic)?.get(p.partition);
        if (entry) entry.logStartOffset = Number(p.offset);
      }
    }
    return result;
  }
}

const CONFIG_SOURCES: Record<number, string> = {
  0: 'UNKNOWN',
  1: 'DYNAMIC_TOPIC_CONFIG',
  2: 'DYNAMIC_BROKER_CONFIG',
  3: 'DYNAMIC_DEFAULT_BROKER_CONFIG',
  4: 'STATIC_BROKER_CONFIG',
  5: 'DEFAULT_CONFIG',
  6: 'DYNAMIC_BROKER_LOGGER_CONFIG',
};

function toFetchResult(
  part: {
    partition: number;
    highWatermark: string;
    logStartOffset?: string;
    messages: InternalMessage[];
  },
  fromOffset: number,
): FetchResult {
  const records: RawRecord[] = [];
  let nextOffset = fromOffset;
  for (const message of part.messages) {
    const offset = Number(message.offset);
    const context = message.batchContext;
    const batchEnd = context
      ? Number(context.firstOffset) + context.lastOffsetDelta + 1
      : offset + 1;
    if (batchEnd > nextOffset) nextOffset = batchEnd;
    if (message.isControlRecord || offset < fromOffset) continue;
    records.push({
      partition: part.partition,
      offset,
      timestamp: Number(message.timestamp),
      timestampType: context?.timestampType === 1 ? 'LogAppendTime' : 'CreateTime',
      key: message.key,
      value: message.value,
      headers: headersOf(message.headers),
    });
  }
  return {
    records,
    nextOffset,
    highWatermark: Number(part.highWatermark),
    logStartOffset: part.logStartOffset !== undefined ? Number(part.logStartOffset) : 0,
  };
}

function headersOf(headers: InternalMessage['headers']): RawHeader[] {
  const result: RawHeader[] = [];
  if (!headers) return result;
  for (const key of Object.keys(headers)) {
    const value = headers[key];
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      result.push({
        key,
        value: v === undefined || v === null ? null : Buffer.isBuffer(v) ? v : Buffer.from(v),
      });
    }
  }
  return result;
}
