/**
 * What a path handed to the offline source is: a Kafka log directory (partition directories,
 * `meta.properties`, checkpoint files), one partition directory, one `.log` segment file, or a
 * Logscope broker data directory (a LevelDB database). Only names and `stat` are looked at.
 */
import { readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { ApiError } from '../../http/apiError';
import { CHECKPOINT_FILES, parsePartitionDirName, SEGMENT_NAME } from './kafkaLayout';

export type OfflinePathKind =
  'kafka-log-dir' | 'partition-dir' | 'segment-file' | 'logscope-data-dir';

export interface DetectedPath {
  kind: OfflinePathKind;
  path: string;
}

export async function detectOfflinePath(input: string): Promise<DetectedPath> {
  const path = resolve(expandHome(input));
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ApiError(
      'NOT_FOUND',
      code === 'EACCES' ? `${path} cannot be read: permission denied.` : `${path} does not exist.`,
      { field: 'body.path' },
    );
  }
  if (info.isFile()) {
    if (path.endsWith('.log')) return { kind: 'segment-file', path };
    throw new ApiError(
      'BAD_REQUEST',
      `${path} is a file but not a Kafka segment (.log): open a log directory, a partition directory or a .log file.`,
      { field: 'body.path' },
    );
  }
  if (!info.isDirectory()) {
    throw new ApiError('BAD_REQUEST', `${path} is neither a file nor a directory.`, {
      field: 'body.path',
    });
  }
  const entries = await readdir(path, { withFileTypes: true });
  const names = new Set(entries.map((e) => e.name));
  if (names.has('CURRENT') && entries.some((e) => e.name.startsWith('MANIFEST-'))) {
    return { kind: 'logscope-data-dir', path };
  }
  if (entries.some((e) => e.isFile() && SEGMENT_NAME.test(e.name)))
    return { kind: 'partition-dir', path };
  if (
    names.has('meta.properties') ||
    Object.values(CHECKPOINT_FILES).some((n) => names.has(n)) ||
    entries.some((e) => e.isDirectory() && parsePartitionDirName(e.name) !== null)
  ) {
    return { kind: 'kafka-log-dir', path };
  }
  if (parsePartitionDirName(basename(path))) return { kind: 'partition-dir', path };
  throw new ApiError(
    'BAD_REQUEST',
    `${path} holds no Kafka log data (no <topic>-<partition> directories, segment files or meta.properties) ` +
      `and no Logscope broker data (no LevelDB database).`,
    { field: 'body.path' },
  );
}

/** `~` and `~/…` name the home folder, as in a shell (the UI's path box has no shell). */
export function expandHome(input: string): string {
  return /^~(\/|\\|$)/.test(input) ? join(homedir(), input.slice(1)) : input;
}
