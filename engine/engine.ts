/**
 * The engine: one process that owns every data source and serves the renderer its one API.
 * This module wires the pieces together; each capability lives in its own folder.
 */
import type { Job, Status } from './api';
import { ClusterStore } from './clusters/clusterStore';
import { EngineServer } from './http/engineServer';
import type { Handlers } from './http/router';
import { JobManager } from './jobs/jobManager';
import { LocalBrokerMonitor } from './sources/localBrokerMonitor';

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
  log: (line: string) => void;
}

export interface RunningEngine {
  port: number;
  close(): Promise<void>;
}

export async function startEngine(options: EngineOptions): Promise<RunningEngine> {
  const startedAt = Date.now();
  const monitor = new LocalBrokerMonitor(options.brokerBootstrap, options.brokerAdminUrl);
  const clusters = await ClusterStore.open(options.dataDir, () => ({
    bootstrapServer: options.brokerBootstrap,
    adminUrl: options.brokerAdminUrl,
  }));
  const jobs = new JobManager();

  const status = (): Status => ({
    engine: { version: options.version, startedAt, dataDir: options.dataDir },
    broker: monitor.current(),
  });

  const handlers: Handlers = {
    getStatus: async () => status(),
    listClusters: async () => ({ clusters: clusters.list() }),
    createCluster: async ({ body }) => clusters.create(body),
    getCluster: async ({ params }) => clusters.get(params.cluster),
    updateCluster: async ({ params, body }) => clusters.update(params.cluster, body),
    deleteCluster: async ({ params }) => {
      await clusters.remove(params.cluster);
      return {};
    },
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

  const port = await server.listen();
  monitor.start();
  return {
    port,
    close: async () => {
      monitor.stop();
      jobs.cancelAll();
      await server.close();
    },
  };
}
