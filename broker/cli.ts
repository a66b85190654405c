/**
 * `logscope-broker`: the local Kafka-compatible broker from the command line.
 *
 *   logscope-broker --data-dir DIR [--host 127.0.0.1] [--port 9092] [--admin-port 9644]
 *                   [--auto-create-topics] [--config KEY=VALUE]… [--config-file FILE]
 *                   [--tls-cert FILE --tls-key FILE] [--sasl-users FILE] [--log-level info]
 *   logscope-broker repair --data-dir DIR
 *   logscope-broker export-kafka-dir --data-dir DIR --out DIR2
 *
 * When ready it prints exactly one line on stdout:
 *   logscope-broker listening on HOST:PORT, admin http://HOST:ADMINPORT
 * SIGTERM or SIGINT: stop accepting, finish requests in flight, close the log, exit 0.
 * Bad arguments or settings exit 2, a data directory that cannot be opened exits 1; both
 * with one message on stderr that says what to do.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  BrokerConfigError,
  parseBrokerConfig,
  parseConfigFlag,
  parseProperties,
  type ConfigSetting,
} from './brokerConfig';
import { exportKafkaDirCommand } from './exportKafkaDirCommand';
import { DataDirError, repairLog } from './log/index';
import { LocalBroker } from './server/localBroker';
import { streamLogger, type LogLevel } from './server/logger';
import { SaslUsers } from './server/sasl/credentials';

const USAGE = `Usage:
  logscope-broker --data-dir DIR [options]
  logscope-broker repair --data-dir DIR
  logscope-broker export-kafka-dir --data-dir DIR --out DIR2   (a Kafka log directory)

Options:
  --data-dir DIR          the broker's data directory (created if missing)
  --host HOST             Kafka listener address (default 127.0.0.1)
  --port N                Kafka listener port (default 9092; 0 picks a free port)
  --admin-port N          admin HTTP port on 127.0.0.1 (default 9644; 0 picks a free port)
  --auto-create-topics    create unknown topics on produce and metadata requests
  --config KEY=VALUE      a setting in server.properties terms (repeatable)
  --config-file FILE      settings from a server.properties file
  --tls-cert FILE         serve TLS with this certificate (PEM) …
  --tls-key FILE          … and this private key (PEM)
  --sasl-users FILE       require SASL (PLAIN, SCRAM-SHA-256/512) with these users (JSON)
  --log-level LEVEL       debug, info, warn or error (default info)
`;

class UsageError extends Error {}

function fail(message: string, code: number): never {
  process.stderr.write(`logscope-broker: ${message}\n`);
  process.exit(code);
}

function parsePort(text: string, flag: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 65535) {
    throw new UsageError(`${flag} must be a port number (0-65535), not "${text}"`);
  }
  return Number(text);
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${what} ${path}: ${(error as Error).message}`);
  }
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'export-kafka-dir') {
    process.exitCode = await exportKafkaDirCommand(argv.slice(1));
    return;
  }
  const repair = argv[0] === 'repair';
  const { values } = parseArgs({
    args: repair ? argv.slice(1) : argv,
    options: {
      'data-dir': { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '9092' },
      'admin-port': { type: 'string', default: '9644' },
      'auto-create-topics': { type: 'boolean', default: false },
      config: { type: 'string', multiple: true, default: [] },
      'config-file': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'sasl-users': { type: 'string' },
      'log-level': { type: 'string', default: 'info' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const dataDir = values['data-dir'];
  if (!dataDir) throw new UsageError('--data-dir is required');

  if (repair) {
    await repairLog(dataDir);
    process.stdout.write(`logscope-broker: repaired ${dataDir}\n`);
    return;
  }

  const level = values['log-level'];
  if (!['debug', 'info', 'warn', 'error'].includes(level)) {
    throw new UsageError(`--log-level must be debug, info, warn or error, not "${level}"`);
  }
  const port = parsePort(values.port, '--port');
  const adminPort = parsePort(values['admin-port'], '--admin-port');

  // Friendly flags are shorthands for settings; an explicit --config says the last word.
  const settings: ConfigSetting[] = [];
  const configFile = values['config-file'];
  if (configFile)
    settings.push(...parseProperties(readText(configFile, 'config file'), configFile));
  if (values['auto-create-topics']) {
    settings.push({
      key: 'auto.create.topics.enable',
      value: 'true',
      source: '--auto-create-topics',
    });
  }
  settings.push(...values.config.map(parseConfigFlag));
  const config = parseBrokerConfig(settings);

  const certFile = values['tls-cert'];
  const keyFile = values['tls-key'];
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new UsageError('--tls-cert and --tls-key go together');
  }
  const tls =
    certFile && keyFile
      ? { cert: readText(certFile, 'TLS certificate'), key: readText(keyFile, 'TLS key') }
      : undefined;
  const usersFile = values['sasl-users'];
  let saslUsers: SaslUsers | undefined;
  if (usersFile) {
    const text = readText(usersFile, 'SASL users file');
    try {
      saslUsers = SaslUsers.parse(text, usersFile);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }

  const logger = streamLogger(level as LogLevel);
  const broker = await LocalBroker.start({
    dataDir,
    host: values.host,
    port,
    adminPort,
    config,
    tls,
    saslUsers,
    logger,
  });
  const { host, port: boundPort } = broker.address;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  process.stdout.write(
    `logscope-broker listening on ${shownHost}:${boundPort}, admin ${broker.adminUrl}\n`,
  );

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    broker.stop().then(
      () => process.exit(0),
      (error: unknown) => fail(`shutdown failed: ${(error as Error).message}`, 1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof BrokerConfigError) {
    fail(`${error.message}\n\n${USAGE}`, 2);
  }
  if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    fail(`${(error as Error).message}\n\n${USAGE}`, 2);
  }
  if (error instanceof DataDirError) fail(error.message, 1);
  if ((error as { code?: string }).code === 'EADDRINUSE') {
    fail(
      `${(error as Error).message}: the port is taken; choose another with --port or --admin-port`,
      1,
    );
  }
  fail(error instanceof Error ? (error.stack ?? error.message) : String(error), 1);
});
