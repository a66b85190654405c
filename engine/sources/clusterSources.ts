/**
 * One live connection per cluster, opened on first use and dropped when the cluster's settings
 * change or it is removed. Adds what only the local broker has (segments and bytes through
 * its admin API) to what every Kafka cluster answers.
 */
import type {
  ClusterDetails,
  ConnectionTest,
  Segment,
  SegmentList,
  TopicDetails,
  TopicSummary,
} from '../api';
import { LOCAL_CLUSTER_ID, type ClusterStore } from '../clusters/clusterStore';
import { ApiError } from '../http/apiError';
import { KafkaSource, type KafkaSourceSettings } from './kafkaSource';
import { LocalBrokerAdmin } from './localBrokerAdmin';
import type { LogReader } from '../browse/logReader';
import type { RecordSizeEstimate } from '../browse/partitionScan';
import { OfflineHandle } from './offline/offlineHandle';

export interface LocalBroker {
  bootstrapServer: string | null;
  adminUrl: string | null;
}

interface Entry {
  source: KafkaSource;
  admin: LocalBrokerAdmin | null;
}

export class ClusterSources {
  private readonly entries = new Map<string, Entry>();
  /** Offline clusters: files opened on first use (engine/sources/offline). */
  private readonly offline = new Map<string, OfflineHandle>();

  constructor(
    private readonly clusters: ClusterStore,
    private readonly localBroker: LocalBroker,
  ) {}

  /** The Kafka connection of a cluster. */
  source(id: string): KafkaSource {
    return this.entry(id).source;
  }

  /** What browsing reads from: the Kafka connection, or an offline cluster's files. */
  reader(id: string): LogReader & { sizes(topic: string): RecordSizeEstimate } {
    return this.offlineHandle(id) ?? this.source(id);
  }

  /** The files of an offline cluster, or null for a Kafka cluster. */
  offlineHandle(id: string): OfflineHandle | null {
    let handle = this.offline.get(id);
    if (handle) return handle;
    const cluster = this.clusters.get(id);
    if (cluster.kind !== 'offline' || cluster.path === undefined) return null;
    handle = new OfflineHandle(cluster.path);
    this.offline.set(id, handle);
    return handle;
  }

  /**
   * "Test" for an offline cluster: whether its files can be opened and listed, with the
   * reason when not (a moved folder, missing permissions, a broker holding it).
   */
  async testOffline(id: string): Promise<ConnectionTest> {
    const started = Date.now();
    // A folder that could not be opened before is opened again: the user may have fixed it.
    // One that is open stays open (jobs may be reading it).
    if (
      !(await this.offlineHandle(id)!.opened.then(
        () => true,
        () => false,
      ))
    )
      await this.forget(id);
    try {
      await (await this.offlineHandle(id)!.opened).listTopics();
      return { ok: true, latencyMs: Date.now() - started, brokers: null };
    } catch (error) {
      const detail =
        error instanceof ApiError
          ? error.toDetail()
          : { code: 'INTERNAL' as const, message: String(error) };
      return { ok: false, latencyMs: null, brokers: null, error: detail };
    }
  }

  /** Settings for a one-off connection (testing settings before saving them). */
  static probe(settings: KafkaSourceSettings): KafkaSource {
    return new KafkaSource({ ...settings, connectionTimeoutMs: 5000, requestTimeoutMs: 10_000 });
  }

  /** Closes the connection of a cluster whose settings changed or that was removed. */
  async forget(id: string): Promise<void> {
    const entry = this.entries.get(id);
    this.entries.delete(id);
    await entry?.source.close();
    const handle = this.offline.get(id);
    this.offline.delete(id);
    await handle?.close();
  }

  async closeAll(): Promise<void> {
    const entries = [...this.entries.values()];
    this.entries.clear();
    const handles = [...this.offline.values()];
    this.offline.clear();
    await Promise.all([...entries.map((e) => e.source.close()), ...handles.map((h) => h.close())]);
  }

  async details(id: string): Promise<ClusterDetails> {
    const cluster = this.clusters.get(id);
    if (cluster.kind === 'offline') {
      try {
        const files = await this.offlineHandle(id)!.opened;
        const topics = await files.listTopics();
        const overview = {
          clusterId: files.clusterId ?? null,
          brokers: [],
          topicCount: topics.length,
          partitionCount: topics.reduce((sum, t) => sum + t.partitions, 0),
          underReplicatedPartitions: [],
          offlinePartitions: [],
        };
        return { ...cluster, overview };
      } catch (error) {
        const detail =
          error instanceof ApiError
            ? error.toDetail()
            : { code: 'INTERNAL' as const, message: String(error) };
        return { ...cluster, overview: null, overviewError: detail };
      }
    }
    try {
      return { ...cluster, overview: await this.source(id).overview() };
    } catch (error) {
      const detail =
        error instanceof ApiError
          ? error.toDetail()
          : { code: 'INTERNAL' as const, message: String(error) };
      return { ...cluster, overview: null, overviewError: detail };
    }
  }

  async listTopics(id: string): Promise<TopicSummary[]> {
    const offline = this.offlineHandle(id);
    if (offline) return (await offline.opened).listTopics();
    const { source, admin } = this.entry(id);
    const bytes = admin ? await admin.topicBytes().catch(() => undefined) : undefined;
    return source.listTopics(bytes);
  }

  async describeTopic(id: string, topic: string): Promise<TopicDetails> {
    const offline = this.offlineHandle(id);
    if (offline) return (await offline.opened).describeTopic(topic);
    const { source, admin } = this.entry(id);
    const storage = admin ? await admin.partitionStorage(topic).catch(() => undefined) : undefined;
    return source.describeTopic(topic, storage);
  }

  async segments(id: string, topic: string, partition: number): Promise<SegmentList> {
    const offline = this.offlineHandle(id);
    if (offline) return (await offline.opened).segments(topic, partition);
    const { source, admin } = this.entry(id);
    const offsets = (await source.offsets(topic)).find((p) => p.partition === partition);
    if (!offsets)
      throw new ApiError('NOT_FOUND', `Partition ${partition} of topic "${topic}" was not found.`);
    const base = {
      logStartOffset: offsets.logStartOffset,
      highWatermark: offsets.highWatermark,
      retentionCutoffTimestamp: null as number | null,
      partitionBytes: null as number | null,
    };
    if (!admin) {
      return {
        ...base,
        supported: false,
        message:
          id === LOCAL_CLUSTER_ID
            ? 'The local broker’s admin API is not known to this engine (it was started without --broker-admin), so its segments cannot be listed.'
            : 'Kafka does not expose segments over its protocol: segments are files on the brokers’ disks. ' +
              'The partition’s offsets are shown instead.',
        segments: [],
      };
    }
    const [segments, configs] = await Promise.all([
      admin.segments(topic, partition),
      source.topicConfigs(topic).catch(() => []),
    ]);
    const retentionMs = Number(configs.find((c) => c.name === 'retention.ms')?.value ?? -1);
    return {
      ...base,
      supported: true,
      segments,
      retentionCutoffTimestamp: retentionMs > 0 ? Date.now() - retentionMs : null,
      partitionBytes: segments.reduce((sum: number, s: Segment) => sum + s.bytes, 0),
    };
  }

  private entry(id: string): Entry {
    let entry = this.entries.get(id);
    if (entry) return entry;
    if (id === LOCAL_CLUSTER_ID) {
      if (!this.localBroker.bootstrapServer) {
        throw new ApiError('UNAVAILABLE', 'The local broker is turned off.');
      }
      entry = {
        source: new KafkaSource({
          brokers: [this.localBroker.bootstrapServer],
          clientId: 'logscope',
        }),
        admin: this.localBroker.adminUrl ? new LocalBrokerAdmin(this.localBroker.adminUrl) : null,
      };
    } else {
      const { config, secrets } = this.clusters.connectionSettings(id);
      if (config.kind !== 'kafka') {
        throw new ApiError(
          'BAD_REQUEST',
          `Cluster "${id}" is an offline folder, not a Kafka cluster.`,
        );
      }
      const settings: KafkaSourceSettings = { brokers: config.bootstrapServers };
      if (config.clientId) settings.clientId = config.clientId;
      if (config.sasl) {
        if (secrets.saslPassword === undefined) {
          throw new ApiError(
            'UNAUTHORIZED',
            `The SASL password of cluster "${id}" is not stored: enter it again in the cluster's settings.`,
            { field: 'sasl.password' },
          );
        }
        settings.sasl = { ...config.sasl, password: secrets.saslPassword };
      }
      if (config.tls) {
        settings.tls = { ...config.tls };
        if (secrets.tlsKey !== undefined) settings.tls.key = secrets.tlsKey;
      }
      entry = { source: new KafkaSource(settings), admin: null };
    }
    this.entries.set(id, entry);
    return entry;
  }
}
