/**
 * The engine process. Normally started by `logscope serve` or the desktop app, which read the
 * one JSON line it prints when ready: `{"event":"ready","port":…}`.
 *
 *   engine --data-dir DIR [--host 127.0.0.1] [--port 0] [--static-dir DIR]
 *          [--broker HOST:PORT] [--broker-admin URL] [--allow-remote]
 *          [--secrets-key-file FILE] [--no-demo] [--demo-live]
 *   The token comes from LOGSCOPE_TOKEN (preferred: not visible in `ps`) or --token.
 */
import { parseArgs } from 'node:util';
import { startEngine } from './engine';

declare const LOGSCOPE_VERSION: string;

/** Electron's `process.parentPort` in a utility process. */
interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

function fail(message: string): never {
  process.stderr.write(`engine: ${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '0' },
      token: { type: 'string' },
      'static-dir': { type: 'string' },
      broker: { type: 'string' },
      'broker-admin': { type: 'string' },
      'allow-remote': { type: 'boolean', default: false },
      'secrets-key-file': { type: 'string' },
      'no-demo': { type: 'boolean', default: false },
      'demo-live': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const token = process.env.LOGSCOPE_TOKEN ?? values.token;
  if (!token || token.length < 16)
    fail('a token of at least 16 characters is required (LOGSCOPE_TOKEN)');
  if (!values['data-dir']) fail('--data-dir is required');
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    fail(`--port ${values.port} is not a port`);

  const engine = await startEngine({
    host: values.host,
    port,
    token,
    allowRemote: values['allow-remote'],
    dataDir: values['data-dir'],
    staticDir: values['static-dir'] ?? null,
    version: typeof LOGSCOPE_VERSION === 'string' ? LOGSCOPE_VERSION : 'dev',
    brokerBootstrap: values.broker ?? null,
    brokerAdminUrl: values['broker-admin'] ?? null,
    secretsKeyFile: values['secrets-key-file'] ?? null,
    demo: !values['no-demo'],
    demoLive: values['demo-live'],
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${JSON.stringify({ event: 'ready', port: engine.port })}\n`);

  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    engine.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`engine: error while closing: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  // Under Electron (a utility process) on Windows there are no signals: the app asks by message.
  const parentPort = (process as { parentPort?: ParentPort }).parentPort;
  parentPort?.on('message', (event) => {
    if ((event.data as { type?: unknown } | null)?.type === 'logscope:shutdown') shutdown();
  });
  // When the parent goes away without a signal (it was killed), stop too.
  process.on('disconnect', shutdown);
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
