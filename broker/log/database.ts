/**
 * The LevelDB database under a data directory: opening it with errors a person can act on
 * (locked by another broker, damaged, not accessible), and LevelDB's repair.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { DataDirError, describeLevelError } from './errors';

export type Database = ClassicLevel<Buffer, Buffer>;

/**
 * Options every database of a data directory is opened with. Benchmarks open their raw
 * classic-level floor with the same ones, so that the comparison is like for like.
 *
 * The write buffer is 32 MiB instead of LevelDB's 4 MiB. Every append also rewrites its
 * partition's `P` and `S` keys, so each table LevelDB flushes overlaps the one before and has
 * to be merged, where a stream of `B` keys alone would be moved down untouched; flushing 8×
 * less often makes that merging rare (measured: with 4 MiB an append stream costs twice the
 * bare batch writes, with 16 MiB and up about the same). The price is memory (up to twice
 * the buffer) and a longer log replay after a crash; a clean close flushes it.
 */
export const DATABASE_OPTIONS = {
  keyEncoding: 'buffer',
  valueEncoding: 'buffer',
  writeBufferSize: 32 * 1024 * 1024,
} as const;

export const repairCommand = (dir: string): string =>
  `logscope-broker repair --data-dir ${JSON.stringify(dir).slice(1, -1)}`;

/** Opens (and with `create`, creates) the database; failures become a `DataDirError`. */
export async function openDatabase(dir: string, create: boolean): Promise<Database> {
  if (!create && !existsSync(join(dir, 'CURRENT'))) {
    throw new DataDirError(
      dir,
      'not-a-log',
      `${dir} is not a Logscope data directory (no LevelDB database in it)`,
    );
  }
  const db = new ClassicLevel<Buffer, Buffer>(dir, {
    ...DATABASE_OPTIONS,
    createIfMissing: create,
  });
  try {
    await db.open();
  } catch (error) {
    throw classifyOpenError(dir, error);
  }
  return db;
}

function classifyOpenError(dir: string, error: unknown): DataDirError {
  const cause = (error as { cause?: { code?: string } }).cause;
  const detail = error instanceof Error ? describeLevelError(error) : String(error);
  if (cause?.code === 'LEVEL_LOCKED') {
    return new DataDirError(
      dir,
      'locked',
      `Data directory ${dir} is locked: another broker (or another Logscope process) holds it. ` +
        `Stop that process first, or use another data directory.`,
      { cause: error },
    );
  }
  if (cause?.code === 'LEVEL_CORRUPTION' || hasBrokenCurrentFile(dir)) {
    return new DataDirError(
      dir,
      'corrupt',
      `Data directory ${dir} is damaged (LevelDB: ${detail}). ` +
        `With no broker running on it, repair it with: ${repairCommand(dir)}`,
      { cause: error },
    );
  }
  return new DataDirError(dir, 'unreadable', `Cannot open data directory ${dir}: ${detail}`, {
    cause: error,
  });
}

/** CURRENT names the live MANIFEST file; if it names nothing that exists, the DB is damaged. */
function hasBrokenCurrentFile(dir: string): boolean {
  try {
    const current = readFileSync(join(dir, 'CURRENT'), 'utf8');
    const match = /^(MANIFEST-\d+)\n$/.exec(current);
    return !match || !existsSync(join(dir, match[1]!));
  } catch {
    return false;
  }
}

/**
 * Runs LevelDB's repair on a data directory no process holds (what
 * `logscope-broker repair --data-dir DIR` does): it rebuilds the MANIFEST from the table and
 * log files it finds, keeping every record it can read. LevelDB writes its account to
 * `DIR/LOG`.
 */
export async function repairLog(dir: string): Promise<void> {
  if (!existsSync(dir)) {
    throw new DataDirError(dir, 'not-a-log', `${dir} does not exist`);
  }
  try {
    await ClassicLevel.repair(dir);
  } catch (error) {
    throw classifyOpenError(dir, error);
  }
}
