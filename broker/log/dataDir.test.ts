import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CommitLog } from './commitLog';
import { DATABASE_OPTIONS, repairLog } from './database';
import { DataDirError } from './errors';
import { Prefix } from './keys';
import { buildBatch, sampleRecords } from './testing/recordBatches';
import { damageLastStoredBatch } from './testing/storedBatches';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'logscope-datadir-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const batchOf = (count: number, seed: number) => buildBatch(sampleRecords(count, 30, seed));

/** A closed data dir with topic `t` holding `batches` batches of 3 records. */
async function writeLog(batches: number): Promise<Buffer[]> {
  const log = await CommitLog.open(dir, { retentionCheckIntervalMs: 0 });
  await log.createTopic('t');
  for (let i = 0; i < batches; i++)
    await log.append('t', 0, await batchOf(3, i), { durable: true });
  const stored = (await log.read('t', 0, 0, 1 << 30)).batches;
  await log.close();
  return stored;
}

async function openError(options = {}): Promise<DataDirError> {
  try {
    const log = await CommitLog.open(dir, { retentionCheckIntervalMs: 0, ...options });
    await log.close();
  } catch (error) {
    expect(error).toBeInstanceOf(DataDirError);
    return error as DataDirError;
  }
  throw new Error('open succeeded');
}

describe('opening a data directory', () => {
  it('a directory another process holds is an error naming it and the other broker', async () => {
    const log = await CommitLog.open(dir, { retentionCheckIntervalMs: 0 });
    try {
      const error = await openError();
      expect(error.problem).toBe('locked');
      expect(error.errorName).toBe('KAFKA_STORAGE_ERROR');
      expect(error.message).toContain(dir);
      expect(error.message).toContain('another broker');
    } finally {
      await log.close();
    }
  });

  it('a damaged CURRENT file is an error naming the directory and the repair command; repair brings the data back', async () => {
    const stored = await writeLog(3);
    writeFileSync(join(dir, 'CURRENT'), 'garbage\n');
    const error = await openError();
    expect(error.problem).toBe('corrupt');
    expect(error.message).toContain(dir);
    expect(error.message).toContain(`logscope-broker repair --data-dir ${dir}`);

    await repairLog(dir);
    const log = await CommitLog.open(dir, { retentionCheckIntervalMs: 0 });
    try {
      expect((await log.read('t', 0, 0, 1 << 30)).batches).toEqual(stored);
    } finally {
      await log.close();
    }
  });

  it('a damaged MANIFEST is an error with the repair command', async () => {
    const stored = await writeLog(3);
    const manifest = readdirSync(dir).find((file) => file.startsWith('MANIFEST-'))!;
    const bytes = readFileSync(join(dir, manifest));
    bytes.fill(0xab, 10, 40);
    writeFileSync(join(dir, manifest), bytes);
    const error = await openError();
    expect(error.problem).toBe('corrupt');
    expect(error.message).toContain(`logscope-broker repair --data-dir ${dir}`);
    await repairLog(dir);
    const log = await CommitLog.open(dir, { retentionCheckIntervalMs: 0 });
    try {
      expect((await log.read('t', 0, 0, 1 << 30)).batches).toEqual(stored);
    } finally {
      await log.close();
    }
  });

  it('read-only open of a directory without a log says so and creates nothing', async () => {
    const empty = join(dir, 'nothing-here');
    try {
      await CommitLog.open(empty, { readOnly: true });
      throw new Error('open succeeded');
    } catch (caught) {
      expect(caught).toBeInstanceOf(DataDirError);
      expect((caught as DataDirError).problem).toBe('not-a-log');
      expect((caught as DataDirError).message).toContain(empty);
    }
    expect(existsSync(empty)).toBe(false);
  });

  it('a LevelDB database that is not a Logscope log is refused', async () => {
    const db = new ClassicLevel(dir);
    await db.put('hello', 'world');
    await db.close();
    const error = await openError();
    expect(error.problem).toBe('not-a-log');
  });

  it('open checks the tail batch of each partition and cuts a damaged one off', async () => {
    const stored = await writeLog(3);
    // Damage the last batch behind the log's back.
    await damageLastStoredBatch(dir);

    let log = await CommitLog.open(dir, { retentionCheckIntervalMs: 0 });
    try {
      expect((await log.ready).recovered).toEqual([
        { topic: 't', partition: 0, reason: 'the batch at offset 6 fails its CRC', from: 9, to: 6 },
      ]);
      expect(log.partitionSummary('t', 0)).toMatchObject({
        logEndOffset: 6,
        batches: 2,
        records: 6,
      });
      expect((await log.read('t', 0, 0, 1 << 30)).batches).toEqual(stored.slice(0, 2));
      expect((await log.append('t', 0, await batchOf(2, 9))).baseOffset).toBe(6);
      await log.close();
      log = await CommitLog.open(dir, { retentionCheckIntervalMs: 0 });
      expect((await log.ready).recovered).toEqual([]);
      expect(log.partitionSummary('t', 0)).toMatchObject({
        logEndOffset: 8,
        batches: 3,
        records: 8,
      });
    } finally {
      await log.close();
    }
  });

  it('a read-only open cuts a damaged tail in memory only', async () => {
    const stored = await writeLog(2);
    const db = new ClassicLevel<Buffer, Buffer>(dir, DATABASE_OPTIONS);
    const [[key, value]] = (await db
      .iterator({
        gte: Buffer.from([Prefix.batch]),
        lt: Buffer.from([Prefix.batch + 1]),
        reverse: true,
        limit: 1,
      })
      .all()) as [[Buffer, Buffer]];
    value[value.length - 1]! ^= 0x01;
    await db.put(key, value);
    await db.close();
    for (let i = 0; i < 2; i++) {
      const reader = await CommitLog.open(dir, { readOnly: true });
      try {
        expect((await reader.ready).recovered).toHaveLength(1); // each time: nothing was written
        expect((await reader.read('t', 0, 0, 1 << 30)).batches).toEqual(stored.slice(0, 1));
      } finally {
        await reader.close();
      }
    }
  });

  it('open never scans the log: damage before the tail is not read at open', async () => {
    const stored = await writeLog(3);
    const db = new ClassicLevel<Buffer, Buffer>(dir, DATABASE_OPTIONS);
    const [[key, value]] = (await db
      .iterator({ gte: Buffer.from([Prefix.batch]), lt: Buffer.from([Prefix.batch + 1]), limit: 1 })
      .all()) as [[Buffer, Buffer]];
    value[value.length - 1]! ^= 0x01;
    await db.put(key, value);
    await db.close();
    const log = await CommitLog.open(dir, { retentionCheckIntervalMs: 0 });
    try {
      expect(await log.ready).toMatchObject({ topics: 1, partitions: 1, recovered: [] });
      // Served as stored; the consumer's CRC check is what catches it, as with Kafka.
      expect((await log.read('t', 0, 0, 1)).batches[0]!.equals(stored[0]!)).toBe(false);
    } finally {
      await log.close();
    }
  });
});
