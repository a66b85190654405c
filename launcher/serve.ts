/**
 * `logscope serve`: starts the local broker and the engine as supervised child processes and
 * prints the one line a person (or a test) needs: the URL of the UI, with its token.
 */
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { forkNode } from './nodeProcess';
import { distPath, requireBuilt } from './paths';
import { Supervisor } from './supervisor';

export interface ServeOptions {
  host: string;
  port: number;
  allowRemote: boolean;
  dataDir: string;
  open: boolean;
  token: string | undefined;
  /** Kafka listener port of the local broker; 0 = any free port. */
  brokerPort: number;
  broker: boolean;
  /** Extra `--config KEY=VALUE` settings for the broker. */
  brokerConfig: string[];
}

interface BrokerReady {
  host: string;
  port: number;
  adminUrl: string;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);
const BROKER_READY = /^logscope-broker listening on (\S+):(\d+), admin (http:\/\/\S+)$/;

const log = (line: string) => process.stderr.write(`${line}\n`);

export async function serve(options: ServeOptions): Promise<void> {
  if (!LOOPBACK.has(options.host) && !options.allowRemote) {
    throw new Error(
      `--host ${options.host} would expose Logscope beyond this machine; add --allow-remote if you mean it.`,
    );
  }
  const token = options.token ?? randomBytes(32).toString('hex');
  await mkdir(options.dataDir, { recursive: true });
  const engineScript = requireBuilt('engine/cli.js');
  const staticDir = distPath('renderer');

  const supervisors: Supervisor<unknown>[] = [];
  let broker: BrokerReady | null = null;
  if (options.broker) {
    const brokerScript = requireBuilt('broker/cli.js');
    let port = options.brokerPort === 9092 && !(await isPortFree(9092)) ? 0 : options.brokerPort;
    if (port !== options.brokerPort)
      log('logscope: port 9092 is taken; the local broker uses a free port instead.');
    let adminPort = 0;
    const brokerSupervisor = new Supervisor<BrokerReady>({
      name: 'broker',
      // Restarts reuse the first run's ports so the engine and clients keep their address.
      spawn: () =>
        forkNode(brokerScript, [
          '--data-dir',
          join(options.dataDir, 'broker'),
          '--host',
          '127.0.0.1',
          '--port',
          String(port),
          '--admin-port',
          String(adminPort),
          ...options.brokerConfig.flatMap((setting) => ['--config', setting]),
        ]),
      parseReady: (line) => {
        const match = BROKER_READY.exec(line);
        return match ? { host: match[1]!, port: Number(match[2]), adminUrl: match[3]! } : undefined;
      },
    });
    watch(brokerSupervisor, 'broker');
    supervisors.push(brokerSupervisor as Supervisor<unknown>);
    broker = await brokerSupervisor.start();
    port = broker.port;
    adminPort = Number(new URL(broker.adminUrl).port);
  }

  let enginePort = options.port;
  const engineArgs = () => [
    '--data-dir',
    options.dataDir,
    '--host',
    options.host,
    '--port',
    String(enginePort),
    '--static-dir',
    staticDir,
    ...(broker
      ? ['--broker', `${broker.host}:${broker.port}`, '--broker-admin', broker.adminUrl]
      : []),
    ...(options.allowRemote ? ['--allow-remote'] : []),
  ];
  const engineSupervisor = new Supervisor<number>({
    name: 'engine',
    spawn: () => forkNode(engineScript, engineArgs(), { LOGSCOPE_TOKEN: token }),
    parseReady: (line) => {
      try {
        const message = JSON.parse(line) as { event?: string; port?: number };
        return message.event === 'ready' ? message.port : undefined;
      } catch {
        return undefined;
      }
    },
  });
  watch(engineSupervisor, 'engine');
  supervisors.push(engineSupervisor as Supervisor<unknown>);
  enginePort = await engineSupervisor.start();

  const urlHost =
    options.host === '::1' ? '[::1]' : options.host === 'localhost' ? '127.0.0.1' : options.host;
  const url = `http://${urlHost}:${enginePort}/#token=${token}`;
  process.stdout.write(`Logscope is running at ${url}\n`);
  if (options.open) openBrowser(url);

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    // The engine first (it talks to the broker), then the broker, which closes its log cleanly.
    for (const supervisor of [...supervisors].reverse()) await supervisor.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

function watch(supervisor: Supervisor<unknown>, name: string): void {
  supervisor.on('output', (line) => log(`${name}: ${line}`));
  supervisor.on('crash', (description, restartInMs) =>
    log(`logscope: ${description}; restarting in ${restartInMs} ms`),
  );
  supervisor.on('state', (state, detail) => {
    if (state === 'failed') {
      log(`logscope: ${name} keeps failing (${detail}); giving up.`);
      process.exitCode = 1;
    }
  });
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Opens the URL in the default browser where there is one; quietly does nothing elsewhere. */
function openBrowser(url: string): void {
  const command =
    process.platform === 'darwin'
      ? 'open'
      : process.platform === 'win32'
        ? 'explorer.exe'
        : 'xdg-open';
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return;
  try {
    const child = spawn(command, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // No browser to open: the printed URL is enough.
  }
}
