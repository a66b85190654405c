/**
 * Shared pieces of the `bench/broker-*` benchmarks: `logscope-broker` as a real process on a
 * scratch data directory (the built `bin/logscope-broker.js`: run `node scripts/build.mjs
 * node` first), kcat runs timed from spawn to exit, and the in-process floors — the commit
 * log's own append and read of the same records.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { CommitLog } from '../broker/log/index';
import { FULL, makeBatches, scratchDir, timed } from '../broker/log/testing/benchSupport';

export const MESSAGES = FULL ? 1_000_000 : 200_000;
export const VALUE_BYTES = 100;

export interface BenchBroker {
  bootstrap: string;
  port: number;
  /** Its data directory: `stop()` deletes it unless told to keep it (then `remove()` does). */
  dataDir: { path: string; remove: () => void };
  stop(options?: { keepDataDir?: boolean }): Promise<void>;
}

/** Starts the broker on a fresh scratch directory, or on `dir` (one a stopped broker kept). */
export async function startBenchBroker(
  dir: BenchBroker['dataDir'] = scratchDir('broker'),
): Promise<BenchBroker> {
  const child = spawn(
    process.execPath,
    [
      // BENCH_BROKER: another build of the broker's cli.js, to compare builds with one bench.
      process.env.BENCH_BROKER ?? 'bin/logscope-broker.js',
      '--data-dir',
      dir.path,
      '--port',
      '0',
      '--admin-port',
      '0',
      '--auto-create-topics',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (l) => {
      if (l.startsWith('logscope-broker listening on ')) resolve(l);
    });
    void exited.then(() => reject(new Error('logscope-broker exited before it was ready')));
  });
  const bootstrap = /listening on (\S+),/.exec(line)![1]!;
  return {
    bootstrap,
    port: Number(bootstrap.split(':')[1]),
    dataDir: dir,
    stop: async ({ keepDataDir = false } = {}) => {
      child.kill('SIGTERM');
      await exited;
      if (!keepDataDir) dir.remove();
    },
  };
}

/** `count` lines of `VALUE_BYTES` printable bytes each (kcat -P's input). */
export function messageLines(count: number): Buffer {
  const line = VALUE_BYTES + 1;
  const out = Buffer.allocUnsafe(count * line);
  let state = 12345;
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < VALUE_BYTES; j++) {
      state = (state * 1103515245 + 12345) >>> 0;
      out[i * line + j] = 97 + ((state >>> 16) % 26);
    }
    out[i * line + VALUE_BYTES] = 10;
  }
  return out;
}

/** Runs kcat; resolves with its stdout byte count and wall time (ms), fails unless exit 0. */
export function runKcat(args: string[], input?: Buffer): Promise<{ ms: number; lines: number }> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn('kcat', args, { stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    let lines = 0;
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      // indexOf, not a byte loop: the count must not slow the pipe kcat writes into.
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++;
    });
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code === 0) resolve({ ms, lines });
      else reject(new Error(`kcat ${args.join(' ')} exited ${code}: ${stderr}`));
    });
    if (input) {
      child.stdin!.on('error', () => {});
      child.stdin!.end(input);
    }
  });
}

/** The same records as v2 batches of 1,000 (what a producer batches), for the log floor. */
export function logBatches(count = MESSAGES): Buffer[] {
  return makeBatches(count / 1000, 1000, VALUE_BYTES);
}

/**
 * The floor of producing: the commit log's in-process append of the same records, one batch
 * after another, into a fresh data directory. Returns the time in ms and the open log's dir.
 */
export async function logAppend(
  batches: Buffer[],
): Promise<{ ms: number; dir: { path: string; remove: () => void } }> {
  const dir = scratchDir('broker-floor');
  const log = await CommitLog.open(dir.path, { retentionCheckIntervalMs: 0 });
  await log.createTopic('bench');
  const copies = batches.map((b) => Buffer.from(b));
  const ms = await timed(async () => {
    for (const batch of copies) await log.append('bench', 0, batch);
  });
  await log.close();
  return { ms, dir };
}

/** The floor of consuming: the commit log's in-process read of a partition, 1 MiB a read. */
export async function logRead(path: string): Promise<{ ms: number; records: number }> {
  const log = await CommitLog.open(path, { retentionCheckIntervalMs: 0 });
  let records = 0;
  const ms = await timed(async () => {
    let offset = 0;
    for (;;) {
      const { batches } = await log.read('bench', 0, offset, 1 << 20);
      if (batches.length === 0) break;
      for (const batch of batches) records += batch.readInt32BE(57);
      const last = batches.at(-1)!;
      offset = Number(last.readBigInt64BE(0)) + last.readInt32BE(23) + 1;
    }
  });
  await log.close();
  return { ms, records };
}

/** The stored batches of the bench partition in `path`, back to back, as the log holds them. */
export async function storedBatches(path: string): Promise<Buffer> {
  const log = await CommitLog.open(path, { retentionCheckIntervalMs: 0, readOnly: true });
  const all: Buffer[] = [];
  try {
    let offset = 0;
    for (;;) {
      const { batches } = await log.read('bench', 0, offset, 1 << 20);
      if (batches.length === 0) break;
      all.push(...batches);
      const last = batches.at(-1)!;
      offset = Number(last.readBigInt64BE(0)) + last.readInt32BE(23) + 1;
    }
  } finally {
    await log.close();
  }
  return Buffer.concat(all);
}
