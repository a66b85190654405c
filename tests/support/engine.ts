/**
 * The engine (`dist/engine/cli.js`) as a real process on a fresh data directory with its own
 * token, for API tests that run it against brokers they started themselves (or none).
 * `logscope serve` as a whole is `startServe` in processes.ts.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { builtFile, startNodeProcess, temporaryDir, type RunningProcess } from './processes';

export interface RunningEngine {
  port: number;
  /** `http://127.0.0.1:PORT/api/v1` */
  base: string;
  token: string;
  dataDir: string;
  process: RunningProcess;
  /** Stops the engine, then removes its data directory; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export interface EngineOptions {
  /** Names the data directory (`logscope-NAME-…`), so a leftover one says which test it was. */
  name: string;
  /** The local cluster: its bootstrap server (`--broker`) and admin URL (`--broker-admin`). */
  broker?: { bootstrap: string; adminUrl: string };
  /** More command-line arguments, after the ones above. */
  args?: string[];
}

const READY = /^\{"event":"ready","port":(\d+)\}$/;

export async function startEngine(options: EngineOptions): Promise<RunningEngine> {
  const token = randomBytes(32).toString('hex');
  const dataDir = await temporaryDir(options.name);
  const broker = options.broker
    ? ['--broker', options.broker.bootstrap, '--broker-admin', options.broker.adminUrl]
    : [];
  // LOGSCOPE_TOKEN rather than --token: the engine's preferred way, not visible in `ps`.
  const { process, match } = await startNodeProcess(
    builtFile('engine/cli.js'),
    ['--data-dir', dataDir, '--port', '0', ...broker, ...(options.args ?? [])],
    READY,
    { LOGSCOPE_TOKEN: token },
  ).catch(async (error: unknown) => {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  });
  const port = Number(match[1]);
  return {
    port,
    base: `http://127.0.0.1:${port}/api/v1`,
    token,
    dataDir,
    process,
    stop: async () => {
      const code = await process.stop();
      await rm(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}
