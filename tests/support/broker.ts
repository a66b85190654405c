/**
 * `logscope-broker` as a real process on a fresh data directory, for interop tests with
 * clients nobody here wrote (kafkajs, kcat/librdkafka).
 */
import { join } from 'node:path';
import { repoRoot, startNodeProcess, temporaryDir, type RunningProcess } from './processes';

export interface RunningBroker {
  host: string;
  port: number;
  /** `host:port`, for clients. */
  bootstrap: string;
  adminUrl: string;
  dataDir: string;
  process: RunningProcess;
}

const READY = /^logscope-broker listening on (\S+):(\d+), admin (http:\/\/\S+)$/;

export async function startBroker(
  args: string[] = [],
  options: { dataDir?: string } = {},
): Promise<RunningBroker> {
  const dataDir = options.dataDir ?? (await temporaryDir('broker'));
  const { process, match } = await startNodeProcess(
    join(repoRoot, 'bin', 'logscope-broker.js'),
    ['--data-dir', dataDir, '--port', '0', '--admin-port', '0', ...args],
    READY,
  );
  const host = match[1]!;
  const port = Number(match[2]);
  return { host, port, bootstrap: `${host}:${port}`, adminUrl: match[3]!, dataDir, process };
}
