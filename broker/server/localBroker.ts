/**
 * The whole local broker in one object: the commit log of a data directory, every protocol
 * handler registered over it (log, configs, partitions, producer ids, consumer groups, SASL when
 * users are given), the Kafka listener, and the admin HTTP API with its metrics. `broker/cli.ts`
 * starts one from the command line; tests start one in-process.
 */
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import type { TlsOptions } from 'node:tls';
import { AdminServer } from '../admin/adminServer';
import { BrokerMetrics } from '../admin/brokerMetrics';
import { defaultBrokerConfig, type BrokerConfig } from '../brokerConfig';
import { CommitLog } from '../log/index';
import { apiDescriptor } from '../protocol/messages/generated/index';
import { GroupCoordinator } from './groups/groupCoordinator';
import { HandlerRegistry } from './handlerRegistry';
import { AppendWaiters } from './handlers/appendWaiters';
import { registerConfigHandlers } from './handlers/configs';
import { registerDescribeCluster } from './handlers/describeCluster';
import { registerGroupHandlers } from './handlers/groups';
import type { BrokerNode, LogHandlerOptions } from './handlers/logHandlerContext';
import { registerLogHandlers } from './handlers/logHandlers';
import { registerPartitionAdmin } from './handlers/partitionAdmin';
import { registerInitProducerId } from './handlers/producerIds';
import { registerSaslHandlers } from './handlers/sasl';
import { KafkaServer } from './kafkaServer';
import { silentLogger, type Logger } from './logger';
import { ProducerStates } from './producers/producerStates';
import type { SaslUsers } from './sasl/credentials';

export interface LocalBrokerOptions {
  dataDir: string;
  /** Kafka listener; default 127.0.0.1:9092 (port 0: a free port). */
  host?: string;
  port?: number;
  /** Admin HTTP port on 127.0.0.1; default 9644 (0: a free port). */
  adminPort?: number;
  /** Settings in server.properties terms (see brokerConfig.ts); defaults when absent. */
  config?: BrokerConfig;
  tls?: TlsOptions;
  /** With users, clients must authenticate with SASL (PLAIN, SCRAM-SHA-256/512). */
  saslUsers?: SaslUsers;
  logger?: Logger;
}

/**
 * Kafka's cluster id, 22 characters of base64url. Derived from the data directory's real path,
 * so one data directory keeps one id across restarts.
 */
export function clusterIdFor(dataDir: string): string {
  return createHash('sha256')
    .update(realpathSync(dataDir))
    .digest()
    .subarray(0, 16)
    .toString('base64url');
}

/** What clients are told to connect to: the advertised listener, else the bound address. */
function advertisedNode(config: BrokerConfig, bound: { host: string; port: number }): BrokerNode {
  const wildcard = bound.host === '0.0.0.0' || bound.host === '::';
  const listener = config.advertisedListener;
  return {
    nodeId: config.nodeId,
    host: listener?.host ?? (wildcard ? '127.0.0.1' : bound.host),
    port: listener && listener.port !== 0 ? listener.port : bound.port,
  };
}

export class LocalBroker {
  private stopping: Promise<void> | null = null;

  private constructor(
    readonly log: CommitLog,
    readonly server: KafkaServer,
    private readonly admin: AdminServer,
    private readonly coordinator: GroupCoordinator,
    private readonly waiters: AppendWaiters,
    /** Where the Kafka listener is bound. */
    readonly address: { host: string; port: number },
    /** The admin API's base URL, `http://127.0.0.1:PORT`. */
    readonly adminUrl: string,
    readonly node: BrokerNode,
  ) {}

  static async start(options: LocalBrokerOptions): Promise<LocalBroker> {
    const config = options.config ?? defaultBrokerConfig();
    const logger = options.logger ?? silentLogger;
    const log = await CommitLog.open(options.dataDir, {
      defaults: config.topicDefaults,
      numPartitions: config.numPartitions,
    });
    log.events.on('backgroundError', (error) =>
      logger.error('log background task failed', { error }),
    );
    const metrics = new BrokerMetrics(log);
    const node: BrokerNode = { nodeId: config.nodeId, host: '127.0.0.1', port: 0 };
    const producers = new ProducerStates();
    const waiters = new AppendWaiters(log);
    const handlerOptions: LogHandlerOptions = {
      log,
      node,
      clusterId: clusterIdFor(options.dataDir),
      autoCreateTopics: config.autoCreateTopics,
      deleteTopicEnable: config.deleteTopicEnable,
      logger,
      metrics,
      appendWaiters: waiters,
      producers,
    };
    const coordinator = new GroupCoordinator(log.groups, {
      minSessionTimeoutMs: config.groupMinSessionTimeoutMs,
      maxSessionTimeoutMs: config.groupMaxSessionTimeoutMs,
      initialRebalanceDelayMs: config.groupInitialRebalanceDelayMs,
    });

    const registry = new HandlerRegistry();
    registerLogHandlers(registry, handlerOptions);
    registerConfigHandlers(registry, handlerOptions);
    registerPartitionAdmin(registry, handlerOptions);
    registerDescribeCluster(registry, handlerOptions);
    registerInitProducerId(registry, producers);
    registerGroupHandlers(registry, {
      coordinator,
      node,
      partitionExists: (topic, partition) =>
        log.hasTopic(topic) && partition >= 0 && partition < log.describeTopic(topic).partitions,
    });
    const saslUsers = options.saslUsers;
    if (saslUsers) registerSaslHandlers(registry, saslUsers);

    const server = new KafkaServer({
      registry,
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 9092,
      tls: options.tls,
      socketRequestMaxBytes: config.socketRequestMaxBytes,
      requireAuthentication: () => saslUsers !== undefined,
      logger,
      observer: {
        connectionOpened: () => metrics.connectionOpened(),
        connectionClosed: () => metrics.connectionClosed(),
        requestCompleted: ({ apiKey, durationMs }) =>
          metrics.recordRequest(
            apiDescriptor(apiKey)?.name ?? String(apiKey),
            durationMs / 1000,
            false,
          ),
      },
    });
    const admin = new AdminServer(log, metrics);
    let address: { host: string; port: number };
    let adminPort: number;
    try {
      address = await server.listen();
      Object.assign(node, advertisedNode(config, address));
      adminPort = await admin.listen(options.adminPort ?? 9644);
    } catch (error) {
      await server.close();
      coordinator.close();
      waiters.close();
      await log.close();
      throw error;
    }
    return new LocalBroker(
      log,
      server,
      admin,
      coordinator,
      waiters,
      address,
      `http://127.0.0.1:${adminPort}`,
      node,
    );
  }

  /**
   * Stops accepting connections, finishes the requests in flight (long polls answer at once),
   * stops the group timers and the admin API, then closes the log cleanly.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.server.close();
      this.coordinator.close();
      this.waiters.close();
      await this.admin.close();
      await this.log.close();
    })();
    return this.stopping;
  }
}
