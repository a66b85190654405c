/**
 * The desktop app's two processes: the local broker (unless turned off), then the engine,
 * pointed at it, each under a `Supervisor`. Stopping is the other way round — engine first (it
 * talks to the broker), then the broker, which closes its log cleanly. How a process is
 * started is given (`spawn`), so this runs and is tested without Electron.
 *
 * `logscope serve` runs it with Node child processes, the desktop app with Electron utility
 * processes: one orchestration, two ways to start a process.
 */
import { EventEmitter } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Supervisor, type SupervisedProcess, type SupervisorOptions } from './supervisor';
import type { ServiceNotice } from '../engine/api/desktop';

export type Spawn = (
  script: string,
  args: string[],
  env: Record<string, string>,
) => SupervisedProcess;

export interface ServicesOptions {
  brokerScript: string;
  engineScript: string;
  /** The built renderer, served by the engine. */
  staticDir: string;
  /** The engine's data directory (settings, clusters). */
  dataDir: string;
  token: string;
  localBroker: {
    enabled: boolean;
    port: number;
    dataDir: string | null;
    /** Broker settings in server.properties terms (`KEY=VALUE`), passed as `--config`. */
    config?: string[];
  };
  /** The engine's listen address; loopback unless the user allowed remote access. */
  engine?: { host: string; port: number; allowRemote: boolean };
  /** More engine flags (`--demo-live`, `--secrets-key-file FILE`, …), passed as given. */
  engineArgs?: string[];
  spawn: Spawn;
  /** Overrides of the supervisors' timings (tests make them short). */
  supervision?: Partial<SupervisorOptions<unknown>>;
}

export interface BrokerEndpoint {
  host: string;
  port: number;
  adminUrl: string;
}

export interface RunningServices {
  /** `http://127.0.0.1:PORT` */
  engineOrigin: string;
  broker: BrokerEndpoint | null;
}

export interface ServicesEvents {
  notice: [notice: ServiceNotice];
  output: [service: 'broker' | 'engine', line: string, stream: 'stdout' | 'stderr'];
}

const BROKER_READY = /^logscope-broker listening on (\S+):(\d+), admin (http:\/\/\S+)$/;
const KAFKA_PORT = 9092;

export function parseBrokerReady(line: string): BrokerEndpoint | undefined {
  const match = BROKER_READY.exec(line);
  return match ? { host: match[1]!, port: Number(match[2]), adminUrl: match[3]! } : undefined;
}

export function parseEngineReady(line: string): number | undefined {
  try {
    const message = JSON.parse(line) as { event?: unknown; port?: unknown };
    return message.event === 'ready' && typeof message.port === 'number' ? message.port : undefined;
  } catch {
    return undefined;
  }
}

export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export class Services extends EventEmitter<ServicesEvents> {
  private readonly supervisors: Supervisor<unknown>[] = [];
  private stopping: Promise<void> | null = null;

  constructor(private readonly options: ServicesOptions) {
    super();
  }

  async start(): Promise<RunningServices> {
    const { options } = this;
    let broker: BrokerEndpoint | null = null;
    if (options.localBroker.enabled) {
      const wanted = options.localBroker.port;
      // Kafka's default port is often taken by a real Kafka: then any free port will do.
      let port = wanted === KAFKA_PORT && !(await isPortFree(KAFKA_PORT)) ? 0 : wanted;
      if (port !== wanted)
        this.emit(
          'output',
          'broker',
          `port ${wanted} is taken; the broker uses a free port`,
          'stderr',
        );
      let adminPort = 0;
      const brokerDataDir = options.localBroker.dataDir ?? join(options.dataDir, 'broker');
      const supervisor = this.supervise<BrokerEndpoint>('broker', {
        // Restarts reuse the first run's ports so the engine and clients keep their address.
        spawn: () =>
          options.spawn(
            options.brokerScript,
            [
              '--data-dir',
              brokerDataDir,
              '--host',
              '127.0.0.1',
              '--port',
              String(port),
              '--admin-port',
              String(adminPort),
              ...(options.localBroker.config ?? []).flatMap((setting) => ['--config', setting]),
            ],
            {},
          ),
        parseReady: parseBrokerReady,
      });
      broker = await supervisor.start();
      port = broker.port;
      adminPort = Number(new URL(broker.adminUrl).port);
    }

    const engineListen = options.engine ?? { host: '127.0.0.1', port: 0, allowRemote: false };
    let enginePort = engineListen.port;
    const engineBroker = broker;
    const engine = this.supervise<number>('engine', {
      spawn: () =>
        options.spawn(
          options.engineScript,
          [
            '--data-dir',
            options.dataDir,
            '--host',
            engineListen.host,
            '--port',
            String(enginePort),
            ...(engineListen.allowRemote ? ['--allow-remote'] : []),
            ...(options.engineArgs ?? []),
            '--static-dir',
            options.staticDir,
            ...(engineBroker
              ? [
                  '--broker',
                  `${engineBroker.host}:${engineBroker.port}`,
                  '--broker-admin',
                  engineBroker.adminUrl,
                ]
              : []),
          ],
          // The token goes in the environment, not the arguments, so `ps` does not show it.
          { LOGSCOPE_TOKEN: options.token },
        ),
      parseReady: parseEngineReady,
    });
    enginePort = await engine.start();
    const host =
      engineListen.host === '::1'
        ? '[::1]'
        : engineListen.host === 'localhost'
          ? '127.0.0.1'
          : engineListen.host;
    return { engineOrigin: `http://${host}:${enginePort}`, broker };
  }

  /** Stops the engine, then the broker. Safe to call more than once. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const supervisor of [...this.supervisors].reverse()) await supervisor.stop();
    })();
    return this.stopping;
  }

  private supervise<Ready>(
    name: 'broker' | 'engine',
    options: Pick<SupervisorOptions<Ready>, 'spawn' | 'parseReady'>,
  ): Supervisor<Ready> {
    const supervisor = new Supervisor<Ready>({ name, ...this.options.supervision, ...options });
    supervisor.on('output', (line, stream) => this.emit('output', name, line, stream));
    supervisor.on('crash', (description, restartInMs) =>
      this.notice(name, 'crashed', description, restartInMs),
    );
    supervisor.on('ready', (_ready, restarts) => {
      if (restarts > 0) this.notice(name, 'ready', `${name} restarted`);
    });
    supervisor.on('state', (state, detail) => {
      if (state === 'failed') this.notice(name, 'failed', `${name} keeps failing: ${detail ?? ''}`);
    });
    this.supervisors.push(supervisor as Supervisor<unknown>);
    return supervisor;
  }

  private notice(
    service: ServiceNotice['service'],
    kind: ServiceNotice['kind'],
    message: string,
    restartInMs?: number,
  ): void {
    this.emit('notice', {
      service,
      kind,
      message,
      ...(restartInMs === undefined ? {} : { restartInMs }),
    });
  }
}
