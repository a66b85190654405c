/**
 * Kafka's segment index files, read as hints. `.index`: 8-byte entries (int32 offset relative
 * to the segment's base, int32 byte position in the `.log`), each pointing at a batch whose
 * last offset is the entry's offset. `.timeindex`: 12-byte entries (int64 timestamp, int32
 * relative offset). The active segment's files are preallocated and zero-filled past the last
 * entry, and a copied directory may hold indexes older than their logs: entries are taken
 * while they increase, and a reader checks an entry against the `.log` before trusting it.
 */
import { readFile } from 'node:fs/promises';

export interface OffsetIndexEntry {
  offset: number;
  position: number;
}

export interface TimeIndexEntry {
  timestamp: number;
  offset: number;
}

async function readIfPresent(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch {
    return null;
  }
}

/** Entries of an offset index, or null when there is no file. */
export async function readOffsetIndex(
  path: string,
  baseOffset: number,
): Promise<OffsetIndexEntry[] | null> {
  const bytes = await readIfPresent(path);
  if (bytes === null) return null;
  const entries: OffsetIndexEntry[] = [];
  for (let at = 0; at + 8 <= bytes.length; at += 8) {
    const relative = bytes.readInt32BE(at);
    const position = bytes.readInt32BE(at + 4);
    const last = entries.at(-1);
    // Kafka writes an entry only after index.interval.bytes of appends, so no entry points at
    // byte 0: a (0, 0) entry is padding, and the file ends there.
    if (relative < 0 || position <= 0) break;
    if (last && (baseOffset + relative <= last.offset || position <= last.position)) break;
    entries.push({ offset: baseOffset + relative, position });
  }
  return entries;
}

/** Entries of a time index, or null when there is no file. */
export async function readTimeIndex(
  path: string,
  baseOffset: number,
): Promise<TimeIndexEntry[] | null> {
  const bytes = await readIfPresent(path);
  if (bytes === null) return null;
  const entries: TimeIndexEntry[] = [];
  for (let at = 0; at + 12 <= bytes.length; at += 12) {
    const timestamp = Number(bytes.readBigInt64BE(at));
    const relative = bytes.readInt32BE(at + 8);
    const last = entries.at(-1);
    if (timestamp === 0 && relative === 0) break;
    if (last && (timestamp < last.timestamp || baseOffset + relative < last.offset)) break;
    entries.push({ timestamp, offset: baseOffset + relative });
  }
  return entries;
}
