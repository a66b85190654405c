/**
 * Crash safety of the commit log, with real processes: a child appends with durability on
 * and prints each acknowledged offset; it is killed with SIGKILL at random moments; after
 * each kill the data directory is reopened and every acknowledged batch must be there, byte
 * for byte, with offsets contiguous and no partial batch. Also: a full disk, a data
 * directory another process holds, and one this process may not write.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommitLog, DataDirError } from '../../broker/log/index';
import {
  LOG_OVERHEAD,
  isRecordBatchCrcValid,
  readRecordBatchHeader,
} from '../../broker/protocol/records/recordBatchHeader';
import { PARTITIONS, TOPIC, crashBatch, parseAcks } from './crashBatches';
import type { Ack } from './crashBatches';

const root = fileURLToPath(new URL('../..', import.meta.url));
// Inside the repository, so that the child's external packages resolve from node_modules.
const bundle = join(root, 'node_modules', '.cache', 'logscope-tests', 'appendChild.mjs');
const scratch: string[] = [];

beforeAll(async () => {
  await build({
    entryPoints: [join(root, 'tests', 'crash', 'appendChild.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
});

afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'logscope-crash-'));
  scratch.push(dir);
  return dir;
}

/** A running child: its stdout so far, and promises for a line and for its exit. */
function startChild(command: string, args: string[]) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let errors = '';
  const watchers: { test: (output: string) => boolean; resolve: () => void }[] = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
    for (const watcher of watchers.filter((w) => w.test(output))) {
      watchers.splice(watchers.indexOf(watcher), 1);
      watcher.resolve();
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    errors: () => errors,
    exited,
    /** Resolves when the output so far satisfies `test`, or when the child exits. */
    until(test: (output: string) => boolean): Promise<void> {
      if (test(output)) return Promise.resolve();
      return Promise.race([
        new Promise<void>((resolve) => watchers.push({ test, resolve })),
        exited.then(() => {}),
      ]);
    },
  };
}

const nodeChild = (...args: string[]) => startChild(process.execPath, [bundle, ...args]);

/** Deterministic randomness, so that a failing sequence can be replayed. */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/**
 * Reopens the log and checks it: every partition holds whole, valid batches with contiguous
 * offsets, and every acknowledged batch is there, byte for byte.
 */
async function verify(dir: string, acked: readonly Ack[]): Promise<{ batches: number }> {
  const log = await CommitLog.open(dir, { retentionCheckIntervalMs: 0 });
  let total = 0;
  try {
    expect((await log.ready).recovered).toEqual([]);
    for (let partition = 0; partition < PARTITIONS; partition++) {
      const { logStartOffset, logEndOffset } = log.partitionSummary(TOPIC, partition);
      const stored = new Map<number, Buffer>();
      let next = logStartOffset;
      while (next < logEndOffset) {
        const { batches } = await log.read(TOPIC, partition, next, 4 << 20);
        for (const batch of batches) {
          const header = readRecordBatchHeader(batch);
          expect(header.batchLength + LOG_OVERHEAD).toBe(batch.length);
          expect(isRecordBatchCrcValid(batch)).toBe(true);
          expect(Number(header.baseOffset)).toBe(next); // contiguous, nothing missing
          next = Number(header.baseOffset) + header.lastOffsetDelta + 1;
          stored.set(Number(header.baseOffset), batch);
        }
      }
      expect(next).toBe(logEndOffset);
      total += stored.size;
      for (const ack of acked.filter((a) => a.partition === partition)) {
        const expected = crashBatch(ack.run, ack.partition, ack.sequence);
        expected.writeBigInt64BE(BigInt(ack.baseOffset), 0);
        const batch = stored.get(ack.baseOffset);
        expect(batch, `acknowledged batch at ${partition}/${ack.baseOffset}`).toBeDefined();
        expect(batch!.equals(expected)).toBe(true);
      }
    }
  } finally {
    await log.close();
  }
  return { batches: total };
}

describe('commit log crash safety', () => {
  it('every acknowledged durable append survives SIGKILL, 20 kills over', async () => {
    const seed = Date.now() % 100_000;
    const next = random(seed);
    const dir = scratchDir();
    const acked: Ack[] = [];
    let stored = 0;
    for (let run = 0; run < 20; run++) {
      const child = nodeChild('append', dir, String(run));
      if (run % 4 === 3) {
        // Anywhere from start-up (open, tail check) into the first appends.
        await new Promise((resolve) => setTimeout(resolve, next() * 400));
      } else {
        const target = Math.floor(next() * 400);
        await child.until((output) => parseAcks(output).length >= target);
      }
      child.child.kill('SIGKILL');
      await child.exited;
      expect(child.errors(), `child stderr (seed ${seed}, run ${run})`).toBe('');
      acked.push(...parseAcks(child.output()));
      const result = await verify(dir, acked);
      expect(result.batches).toBeGreaterThanOrEqual(stored); // nothing ever goes away
      stored = result.batches;
    }
    expect(acked.length, `acknowledged appends (seed ${seed})`).toBeGreaterThan(200);
  });

  it('a full disk fails appends with KAFKA_STORAGE_ERROR; the partition stays readable and nothing acknowledged is lost', async () => {
    const dir = scratchDir();
    // RLIMIT_FSIZE (2 MiB) stands in for a full disk: LevelDB's write-ahead log cannot grow
    // past it, and the write fails with EFBIG. SIGXFSZ is ignored so that the write fails
    // instead of the process dying.
    const child = startChild('bash', [
      '-c',
      `trap '' XFSZ; ulimit -f 2048; exec "${process.execPath}" "${bundle}" fill "${dir}" 0`,
    ]);
    expect(await child.exited).toBe(0);
    const output = child.output();
    const acked = parseAcks(output);
    expect(acked.length).toBeGreaterThan(10);
    expect(output).toMatch(/^FAILED KAFKA_STORAGE_ERROR 56 .*File too large/m);
    expect(output).toContain(`READ ${acked.length}`);
    expect(output).toContain('FAILED_AGAIN KAFKA_STORAGE_ERROR');
    await verify(dir, acked);
  });

  it('a data directory held by another process is refused with a message naming it', async () => {
    const dir = scratchDir();
    const holder = nodeChild('hold', dir);
    await holder.until((output) => output.includes('READY'));
    try {
      const error = await CommitLog.open(dir).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(DataDirError);
      expect((error as DataDirError).problem).toBe('locked');
      expect((error as DataDirError).message).toContain(dir);
      expect((error as DataDirError).message).toContain('another broker');
    } finally {
      holder.child.kill('SIGKILL');
      await holder.exited;
    }
    const log = await CommitLog.open(dir, { retentionCheckIntervalMs: 0 });
    await log.close();
  });

  it('a data directory this process may not write is refused with a message naming it', async () => {
    const dir = join(scratchDir(), 'data');
    mkdirSync(dir);
    const log = await CommitLog.open(dir, { retentionCheckIntervalMs: 0 });
    await log.createTopic(TOPIC);
    await log.close();
    chmodSync(dir, 0o555);
    // Root ignores permissions through CAP_DAC_OVERRIDE: as root, open without it (then the
    // owner's r-x applies to root too).
    const asRoot = process.getuid?.() === 0;
    if (asRoot && spawnSync('setpriv', ['--version']).status !== 0) {
      throw new Error('This test needs setpriv as root: apt-get install -y util-linux');
    }
    try {
      const opener = asRoot
        ? startChild('setpriv', [
            '--bounding-set',
            '-dac_override,-dac_read_search',
            '--',
            process.execPath,
            bundle,
            'open',
            dir,
          ])
        : nodeChild('open', dir);
      await opener.exited;
      const line = opener
        .output()
        .split('\n')
        .find((l) => l.startsWith('OPEN_ERROR '));
      expect(line, opener.output() + opener.errors()).toBeDefined();
      const error = JSON.parse(line!.slice('OPEN_ERROR '.length)) as {
        name: string;
        message: string;
      };
      expect(error.name).toBe('KAFKA_STORAGE_ERROR');
      expect(error.message).toContain(dir);
      expect(error.message).toMatch(/Permission denied/i);
    } finally {
      chmodSync(dir, 0o755);
    }
  });
});
