/**
 * The engine: one process that owns every data source and serves the renderer its one API.
 * This module wires the pieces together; each capability lives in its own folder.
 */
import { join } from 'node:path';
import { MetricsParams, PlaybackParams, TailParams, type Job, type Status } from './api';
import { filterFrom, TopicBrowser } from './browse/topicBrowser';
import { startTail } from './browse/tail';
import { startPlayback } from './playback/playbackStream';
import { ClusterStore, LOCAL_CLUSTER_ID } from './clusters/clusterStore';
import { EncryptedFileVault, MemoryVault } from './clusters/secretVault';
import { DemoSeeder } from './demo/demoSeeder';
import { EdaService } from './eda/edaService';
import { GroupService } from './groups/groupService';
import { ReplayService } from './replay/replayService';
import { TransferService } from './transfer/transferService';
import { ApiError } from './http/apiError';
import { EngineServer } from './http/engineServer';
import {
  DownloadTickets,
  sweepOlderThan,
  TRANSFER_FILES_KEPT_MS,
  uploadRoute,
} from './http/fileTransfer';
import type { Handlers } from './http/router';
import { JobManager } from './jobs/jobManager';
import { kafkaMetricsSource } from './metrics/kafkaMetricsSource';
import { MetricsHub } from './metrics/metricsHub';
import { ClusterSources } from './sources/clusterSources';
import { LocalBrokerMonitor } from './sources/localBrokerMonitor';
import { checkOfflinePath } from './sources/offline/openOfflineSource';

export interface EngineOptions {
  host: string;
  port: number;
  token: string;
  allowRemote: boolean;
  dataDir: string;
  staticDir: string | null;
  version: string;
  /** `host:port` of the local broker, or null when it is turned off. */
  brokerBootstrap: string | null;
  brokerAdminUrl: string | null;
  /** Keep cluster secrets on disk, encrypted with the key in this file (else in memory only). */
  secretsKeyFile?: string | null;
  /** Seed the demo topics on the local broker (default true). */
  demo?: boolean;
  /** Keep producing demo data after seeding. */
  demoLive?: boolean;
  log: (line: string) => void;
}

export interface RunningEngine {
  port: number;
  close(): Promise<void>;
}

export async function startEngine(options: EngineOptions): Promise<RunningEngine> {
  const startedAt = Date.now();
  const monitor = new LocalBrokerMonitor(options.brokerBootstrap, options.brokerAdminUrl);
  const localBroker = {
    bootstrapServer: options.brokerBootstrap,
    adminUrl: options.brokerAdminUrl,
  };
  const vault = options.secretsKeyFile
    ? await EncryptedFileVault.open(
        options.secretsKeyFile,
        join(options.dataDir, 'engine', 'secrets.enc'),
      )
    : new MemoryVault();
  const clusters = await ClusterStore.open(options.dataDir, () => localBroker, vault);
  const sources = new ClusterSources(clusters, localBroker);
  const jobs = new JobManager();
  const browser = new TopicBrowser(sources, jobs);
  // The reader, not the Kafka connection: offline clusters are sampled and scanned from their files.
  const eda = new EdaService((cluster) => sources.reader(cluster), jobs);
  const groups = new GroupService((cluster) => sources.source(cluster));
  const transfer = new TransferService(
    (cluster) => sources.reader(cluster),
    (cluster) => sources.source(cluster),
    jobs,
    join(options.dataDir, 'engine', 'exports'),
  );
  const downloads = new DownloadTickets();
  for (const kept of ['exports', 'uploads'])
    void sweepOlderThan(join(options.dataDir, 'engine', kept), TRANSFER_FILES_KEPT_MS);
  const replays = new ReplayService(
    (cluster) => sources.reader(cluster),
    (cluster) => sources.source(cluster),
    jobs,
  );

  const status = (): Status => ({
    engine: { version: options.version, startedAt, dataDir: options.dataDir },
    broker: monitor.current(),
  });

  const handlers: Handlers = {
    getStatus: async () => status(),
    listClusters: async () => ({ clusters: clusters.list() }),
    createCluster: async ({ body }) => {
      if (body.kind === 'offline') await checkOfflinePath(body.path);
      return clusters.create(body);
    },
    getCluster: async ({ params }) => sources.details(params.cluster),
    updateCluster: async ({ params, body }) => {
      const updated = await clusters.update(params.cluster, body);
      await sources.forget(params.cluster);
      return updated;
    },
    deleteCluster: async ({ params }) => {
      await clusters.remove(params.cluster);
      await sources.forget(params.cluster);
      return {};
    },
    testCluster: async ({ params }) => {
      const cluster = clusters.get(params.cluster); // 404 for an unknown cluster
      if (cluster.kind === 'offline') return sources.testOffline(params.cluster);
      return sources.source(params.cluster).test();
    },
    testClusterSettings: async ({ body }) => {
      if (body.kind !== 'kafka') {
        throw new ApiError('BAD_REQUEST', 'Only Kafka clusters are tested by connecting.', {
          field: 'body.kind',
        });
      }
      const probe = ClusterSources.probe({ brokers: body.bootstrapServers, ...body });
      try {
        return await probe.test();
      } finally {
        await probe.close();
      }
    },
    listTopics: async ({ params }) => ({ topics: await sources.listTopics(params.cluster) }),
    createTopic: async ({ params, body }) => {
      await sources.source(params.cluster).createTopic(body);
      const created = (await sources.listTopics(params.cluster)).find((t) => t.name === body.name);
      return (
        created ?? {
          name: body.name,
          internal: false,
          partitions: body.partitions,
          replicationFactor: body.replicationFactor,
          messages: 0,
          bytes: null,
        }
      );
    },
    getTopic: async ({ params }) => sources.describeTopic(params.cluster, params.topic),
    deleteTopic: async ({ params }) => {
      await sources.source(params.cluster).deleteTopic(params.topic);
      return {};
    },
    getTopicConfigs: async ({ params }) => ({
      configs: await sources.source(params.cluster).topicConfigs(params.topic),
    }),
    updateTopicConfigs: async ({ params, body }) => {
      const source = sources.source(params.cluster);
      await source.alterTopicConfigs(params.topic, body.configs);
      return { configs: await source.topicConfigs(params.topic) };
    },
    listSegments: async ({ params }) =>
      sources.segments(params.cluster, params.topic, params.partition),
    listMessages: async ({ params, query }) => browser.page(params.cluster, params.topic, query),
    getMessage: async ({ params, query }) =>
      browser.message(params.cluster, params.topic, params.partition, params.offset, query),
    produceMessage: async ({ params, body }) => browser.produce(params.cluster, params.topic, body),
    startSearch: async ({ params, body }) =>
      browser.startSearch(params.cluster, params.topic, body),
    startSample: ({ params, body }) => eda.startSample(params.cluster, params.topic, body),
    previewSample: ({ params, body }) => eda.preview(params.cluster, params.topic, body),
    startScan: ({ params, body }) => eda.startScan(params.cluster, params.topic, body),
    suggestFields: ({ params }) => eda.suggestFields(params.cluster, params.topic),
    listGroups: async ({ params }) => ({ groups: await groups.list(params.cluster) }),
    getGroup: ({ params }) => groups.describe(params.cluster, params.group),
    resetGroupOffsets: ({ params, body }) =>
      groups.resetOffsets(params.cluster, params.group, body),
    deleteGroup: async ({ params }) => {
      await groups.delete(params.cluster, params.group);
      return {};
    },
    startExport: ({ params, body }) => transfer.startExport(params.cluster, params.topic, body),
    startImport: ({ params, body }) => transfer.startImport(params.cluster, params.topic, body),
    downloadExport: async ({ params }) => {
      const file = await transfer.exportedFile(params.job);
      const { ticket, expiresAt } = downloads.issue(file);
      const { fileName, bytes } = file;
      return { url: `/api/v1/downloads/${ticket}`, fileName, bytes, expiresAt };
    },
    startReplay: ({ body }) => replays.start(body),
    listJobs: async () => ({ jobs: jobs.list() }),
    getJob: async ({ params }) => jobs.get(params.job),
    cancelJob: async ({ params }) => jobs.cancel(params.job),
    pauseJob: async ({ params }) => jobs.pause(params.job),
    resumeJob: async ({ params }) => jobs.resume(params.job),
    startCountJob: async ({ body }) =>
      jobs.start({
        kind: 'count',
        title: `Count to ${body.total}`,
        unit: 'items',
        total: body.total,
        pausable: true,
        run: async (context) => {
          for (let done = 0; done < body.total;) {
            await context.checkpoint();
            done = Math.min(body.total, done + body.step);
            context.progress(done);
            // Yield to the event loop so requests (cancel, pause) are served mid-job.
            await new Promise((resolve) => setImmediate(resolve));
          }
          return { counted: body.total };
        },
      }),
  };

  const server = new EngineServer({
    host: options.host,
    port: options.port,
    token: options.token,
    allowRemote: options.allowRemote,
    staticDir: options.staticDir,
    version: options.version,
    handlers,
    rawRoutes: [
      downloads.route(),
      uploadRoute({ dir: join(options.dataDir, 'engine', 'uploads') }),
    ],
    log: options.log,
  });
  server.streams.register('status', (subscription) => {
    subscription.emit(status());
    return monitor.subscribe(() => subscription.emit(status()));
  });
  server.streams.register('jobs', (subscription) => {
    const only = typeof subscription.params.job === 'string' ? subscription.params.job : null;
    const forward = (job: Job) => {
      if (only === null || job.id === only) subscription.emit(job);
    };
    if (only !== null) subscription.emit(jobs.get(only));
    return jobs.subscribe(forward);
  });

  const metrics = new MetricsHub((cluster) =>
    kafkaMetricsSource(
      sources.source(cluster),
      cluster === LOCAL_CLUSTER_ID && options.brokerAdminUrl
        ? `${options.brokerAdminUrl.replace(/\/$/, '')}/metrics`
        : null,
    ),
  );
  server.streams.register(
    'metrics',
    (subscription) => {
      const { cluster, intervalMs } = subscription.params;
      sources.source(cluster); // 404 for an unknown cluster, before polling
      return metrics.subscribe(cluster, intervalMs, (snapshot) => subscription.emit(snapshot));
    },
    MetricsParams,
  );

  server.streams.register(
    'tail',
    (subscription) => {
      const filter = filterFrom(
        subscription.params.filter,
        'params.filter',
        subscription.params.topic,
      );
      return startTail(sources.source(subscription.params.cluster), subscription.params, filter, {
        emit: (event) => subscription.emit(event),
        fail: (error) => subscription.fail(error),
      });
    },
    TailParams,
  );
  server.streams.register(
    'playback',
    (subscription) =>
      startPlayback(sources.reader(subscription.params.cluster), subscription.params, {
        emit: (event) => subscription.emit(event),
        end: () => subscription.end(),
        fail: (error) => subscription.fail(error),
      }),
    PlaybackParams,
  );

  const port = await server.listen();
  monitor.start();

  let demo: DemoSeeder | null = null;
  if (options.brokerBootstrap && options.demo !== false) {
    demo = new DemoSeeder({
      source: sources.source(LOCAL_CLUSTER_ID),
      live: options.demoLive ?? false,
      log: options.log,
      brokerUp: () =>
        new Promise<void>((resolve) => {
          if (monitor.current().state === 'up') return resolve();
          const stop = monitor.subscribe((state) => {
            if (state.state === 'up') {
              stop();
              resolve();
            }
          });
        }),
    });
    demo.start();
  }
  return {
    port,
    close: async () => {
      demo?.stop();
      monitor.stop();
      metrics.stopAll();
      jobs.cancelAll();
      await server.close();
      await sources.closeAll();
    },
  };
}
