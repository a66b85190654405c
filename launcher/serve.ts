/**
 * `logscope serve`: starts the local broker and the engine as supervised child processes and
 * prints the one line a person (or a test) needs: the URL of the UI, with its token.
 */
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { forkNode } from './nodeProcess';
import { distPath, requireBuilt } from './paths';
import { Services } from './services';

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
  /** Keep producing demo data so live views move. */
  demoLive: boolean;
  /** Do not create the demo topics. */
  demo: boolean;
  /** Keep cluster secrets encrypted on disk with this key file (else in memory only). */
  secretsKeyFile: string | undefined;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

const log = (line: string) => process.stderr.write(`${line}\n`);

export async function serve(options: ServeOptions): Promise<void> {
  if (!LOOPBACK.has(options.host) && !options.allowRemote) {
    throw new Error(
      `--host ${options.host} would expose Logscope beyond this machine; add --allow-remote if you mean it.`,
    );
  }
  const token = options.token ?? randomBytes(32).toString('hex');
  await mkdir(options.dataDir, { recursive: true });

  const services = new Services({
    brokerScript: options.broker ? requireBuilt('broker/cli.js') : '',
    engineScript: requireBuilt('engine/cli.js'),
    staticDir: distPath('renderer'),
    dataDir: options.dataDir,
    token,
    localBroker: {
      enabled: options.broker,
      port: options.brokerPort,
      dataDir: null,
      config: options.brokerConfig,
    },
    engine: { host: options.host, port: options.port, allowRemote: options.allowRemote },
    engineArgs: [
      ...(options.demo ? [] : ['--no-demo']),
      ...(options.demoLive ? ['--demo-live'] : []),
      ...(options.secretsKeyFile ? ['--secrets-key-file', options.secretsKeyFile] : []),
    ],
    spawn: forkNode,
  });
  services.on('output', (service, line) => log(`${service}: ${line}`));
  services.on('notice', (notice) => {
    log(
      `logscope: ${notice.message}${notice.restartInMs === undefined ? '' : `; restarting in ${notice.restartInMs} ms`}`,
    );
    if (notice.kind === 'failed') process.exitCode = 1;
  });
  const running = await services.start();

  const url = `${running.engineOrigin}/#token=${token}`;
  process.stdout.write(`Logscope is running at ${url}\n`);
  if (options.open) openBrowser(url);

  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    // The engine first (it talks to the broker), then the broker, which closes its log cleanly.
    void services.stop().then(() => process.exit(process.exitCode ?? 0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
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
