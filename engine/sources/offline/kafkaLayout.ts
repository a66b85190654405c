/**
 * Names and small files of Kafka's log directory layout (Kafka's `LocalLog` and
 * `OffsetCheckpointFile` conventions):
 *
 *   <log.dir>/meta.properties                      cluster.id, node.id (broker.id), version
 *   <log.dir>/log-start-offset-checkpoint          version, count, then "topic partition offset"
 *   <log.dir>/replication-offset-checkpoint        (same format: high watermarks)
 *   <log.dir>/recovery-point-offset-checkpoint     (same format)
 *   <log.dir>/<topic>-<partition>/                 one directory per partition replica
 *       00000000000000000000.log                   segment: record batches, named by base offset
 *       00000000000000000000.index                 offset index: (int32 relative offset, int32 position)
 *       00000000000000000000.timeindex             time index: (int64 timestamp, int32 relative offset)
 *       partition.metadata                         "version: 0" and "topic_id: <base64url uuid>"
 *       leader-epoch-checkpoint
 *
 * Topic names may contain `-`, so a partition directory name splits on its last `-`.
 * Directories being deleted (`…-delete`), moved between log dirs (`…-future`) or left over
 * after a reassignment (`…-stray`) are not live partitions.
 */
import { readFile } from 'node:fs/promises';

/** Segment files are named by their base offset, zero-padded to 20 digits. */
export const SEGMENT_NAME = /^(\d{20})\.log$/;
const PARTITION_DIR = /^(.+)-(\d+)$/;
const NOT_LIVE = /\.[0-9a-f]{32}-(delete|future|stray)$|-(delete|future|stray)$/;

export function segmentFileName(
  baseOffset: number,
  extension: 'log' | 'index' | 'timeindex',
): string {
  return `${String(baseOffset).padStart(20, '0')}.${extension}`;
}

/** `orders-events-3` → { topic: 'orders-events', partition: 3 }; null when not a partition dir. */
export function parsePartitionDirName(name: string): { topic: string; partition: number } | null {
  if (NOT_LIVE.test(name)) return null;
  const match = PARTITION_DIR.exec(name);
  if (!match) return null;
  const topic = match[1]!;
  if (!/^[a-zA-Z0-9._-]{1,249}$/.test(topic)) return null;
  return { topic, partition: Number(match[2]) };
}

/** Whether a directory name is a partition being deleted, moved or left over (shown, not read). */
export function isRetiredPartitionDir(name: string): boolean {
  return NOT_LIVE.test(name);
}

/** `key=value` lines (meta.properties); comments and blank lines ignored. */
export function parseProperties(text: string): Map<string, string> {
  const properties = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const at = line.search(/[=:]/);
    if (at < 0) continue;
    properties.set(line.slice(0, at).trim(), line.slice(at + 1).trim());
  }
  return properties;
}

/**
 * An offset checkpoint file: line 1 the version (0), line 2 the entry count, then one
 * `topic partition offset` per line. Returns null when the file is missing or malformed (a
 * checkpoint is a hint: the segments are the truth).
 */
export async function readOffsetCheckpoint(path: string): Promise<Map<string, number> | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return null;
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length < 2 || lines[0]!.trim() !== '0') return null;
  const count = Number(lines[1]);
  const entries = new Map<string, number>();
  for (const line of lines.slice(2, 2 + count)) {
    const parts = line.trim().split(/\s+/);
    if (parts.length !== 3) return null;
    const offset = Number(parts[2]);
    if (!Number.isSafeInteger(offset)) return null;
    entries.set(`${parts[0]}-${parts[1]}`, offset);
  }
  return entries;
}

export function formatOffsetCheckpoint(
  entries: { topic: string; partition: number; offset: number }[],
): string {
  return [
    '0',
    String(entries.length),
    ...entries.map((e) => `${e.topic} ${e.partition} ${e.offset}`),
    '',
  ].join('\n');
}

/** The topic id in `partition.metadata`, or null. */
export async function readPartitionMetadata(dir: string): Promise<string | null> {
  try {
    const properties = parseProperties(await readFile(`${dir}/partition.metadata`, 'utf8'));
    return properties.get('topic_id') ?? null;
  } catch {
    return null;
  }
}

export const CHECKPOINT_FILES = {
  logStart: 'log-start-offset-checkpoint',
  replication: 'replication-offset-checkpoint',
  recoveryPoint: 'recovery-point-offset-checkpoint',
} as const;
