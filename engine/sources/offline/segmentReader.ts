/**
 * One Kafka segment (`<base>.log` with its `.index` and `.timeindex`), read on demand. It finds
 * the batch holding an offset through its own sparse index once the file has been walked, or
 * else through the `.index` file — but only after checking that the entry points at a batch
 * ending at the entry's offset (an index may be stale or zero-padded); when it does not, the
 * file is walked. Reads verify every entry's CRC and report damage instead of throwing.
 */
import { open, stat, type FileHandle } from 'node:fs/promises';
import { iterateLogEntries, readRecordBatchHeader } from '../../../broker/protocol/records';
import { entryCrcError } from './batchCrc';
import { corruptionKind, damageMessage, type DamageLog } from './damage';
import { lastOffsetOf, type GoodEntry } from './entryRecords';
import { readOffsetIndex, readTimeIndex, type OffsetIndexEntry } from './indexFiles';
import { walkSegment, type SegmentWalk } from './segmentWalk';

export interface SegmentFiles {
  baseOffset: number;
  /** The `.log` file's name, e.g. `00000000000000001234.log`. */
  name: string;
  log: string;
  size: number;
  mtimeMs: number;
  index: string | null;
  timeIndex: string | null;
}

const MIN_READ_BYTES = 64 * 1024;

export class SegmentReader {
  private handle: Promise<FileHandle> | null = null;
  private walked: Promise<SegmentWalk> | null = null;
  private validated: Promise<SegmentWalk> | null = null;
  private index: Promise<OffsetIndexEntry[] | null> | null = null;
  private tail: Promise<{ lastOffset: number | null; maxTimestamp: number | null }> | null = null;

  constructor(
    readonly files: SegmentFiles,
    private readonly damage: DamageLog,
  ) {}

  get baseOffset(): number {
    return this.files.baseOffset;
  }

  private file(): Promise<FileHandle> {
    // 'r' only: reading never changes a file's contents or modification time.
    this.handle ??= open(this.files.log, 'r');
    return this.handle;
  }

  /** The file walked once (framing checked, no CRC), its damage recorded. */
  walk(): Promise<SegmentWalk> {
    this.walked ??= this.file().then(async (handle) => {
      const walk = await walkSegment(handle, this.files.name, this.files.size);
      for (const d of walk.damage) this.damage.add(d);
      return walk;
    });
    return this.walked;
  }

  /** The file walked with every CRC checked: what the segments view and `--validate` report. */
  validate(): Promise<SegmentWalk> {
    this.validated ??= this.file().then(async (handle) => {
      const walk = await walkSegment(handle, this.files.name, this.files.size, { verifyCrc: true });
      for (const d of walk.damage) this.damage.add(d);
      this.walked ??= Promise.resolve(walk);
      return walk;
    });
    return this.validated;
  }

  offsetIndex(): Promise<OffsetIndexEntry[] | null> {
    this.index ??= this.files.index
      ? readOffsetIndex(this.files.index, this.baseOffset)
      : Promise.resolve(null);
    return this.index;
  }

  async timeIndexEntries(): Promise<number | null> {
    if (!this.files.timeIndex) return null;
    return (await readTimeIndex(this.files.timeIndex, this.baseOffset))?.length ?? null;
  }

  /**
   * The last offset in the segment (for the partition's high watermark): walked from the last
   * `.index` entry that checks out, else from the start.
   */
  lastOffset(): Promise<{ lastOffset: number | null; maxTimestamp: number | null }> {
    this.tail ??= (async () => {
      if (this.walked) return this.walked;
      const entries = await this.offsetIndex();
      const handle = await this.file();
      for (let i = (entries?.length ?? 0) - 1; i >= 0 && i >= (entries?.length ?? 0) - 2; i--) {
        const entry = entries![i]!;
        if (await this.checkIndexEntry(entry)) {
          const walk = await walkSegment(handle, this.files.name, this.files.size, {
            start: entry.position,
          });
          for (const d of walk.damage) this.damage.add(d);
          if (walk.lastOffset !== null) return walk;
        }
      }
      return this.walk();
    })();
    return this.tail;
  }

  /**
   * Why some index entries are not used, in words for the segments view: a missing file, zero
   * padding after the last entry (Kafka preallocates the active segment's index), entries
   * pointing past what the `.log` holds, or entries that do not match the batches they name.
   */
  async indexNotes(walk: SegmentWalk): Promise<string[]> {
    const notes: string[] = [];
    const lastOffset = walk.lastOffset ?? this.baseOffset - 1;
    if (!this.files.index) {
      notes.push('No .index file: batches are found by reading the .log.');
    } else {
      const entries = (await this.offsetIndex()) ?? [];
      const slots = Math.floor((await fileSize(this.files.index)) / 8);
      if (slots > entries.length)
        notes.push(
          `.index: ${slots - entries.length} of ${slots} slots after the last valid entry are zero padding or out of order; ignored.`,
        );
      const past = entries.filter((e) => e.position >= walk.endPosition || e.offset > lastOffset);
      const inRange = entries.filter((e) => !past.includes(e));
      const mismatched = [inRange[0], inRange.at(-1)].filter(
        (e): e is OffsetIndexEntry => e !== undefined,
      );
      let bad = 0;
      for (const entry of new Set(mismatched)) if (!(await this.checkIndexEntry(entry))) bad++;
      if (past.length > 0 || bad > 0)
        notes.push(
          `.index is stale: ${past.length > 0 ? `${past.length} ${past.length === 1 ? 'entry points' : 'entries point'} past the readable end of the .log` : 'entries do not point at the batches they name'} (an index from another copy of the log); ignored — batches are found by reading the .log.`,
        );
    }
    if (!this.files.timeIndex) {
      notes.push('No .timeindex file: times are found by reading the .log.');
    } else {
      const entries = (await readTimeIndex(this.files.timeIndex, this.baseOffset)) ?? [];
      const slots = Math.floor((await fileSize(this.files.timeIndex)) / 12);
      if (slots > entries.length)
        notes.push(
          `.timeindex: ${slots - entries.length} of ${slots} slots after the last valid entry are zero padding or out of order; ignored.`,
        );
      const past = entries.filter((e) => e.offset > lastOffset).length;
      if (past > 0)
        notes.push(
          `.timeindex is stale: ${past} ${past === 1 ? 'entry names an offset' : 'entries name offsets'} past the end of the .log; ignored.`,
        );
    }
    return notes;
  }

  /** Whether the batch at an index entry's position ends at the entry's offset. */
  private async checkIndexEntry(entry: OffsetIndexEntry): Promise<boolean> {
    if (entry.position + 61 > this.files.size) return false;
    const header = Buffer.alloc(61);
    await (await this.file()).read(header, 0, 61, entry.position);
    const magic = header[16];
    if (magic === 2) {
      const h = readRecordBatchHeader(header, 0);
      return Number(h.baseOffset) + h.lastOffsetDelta === entry.offset;
    }
    return (magic === 0 || magic === 1) && Number(header.readBigInt64BE(0)) === entry.offset;
  }

  /** A byte position at or before the batch holding `offset`. */
  async positionFor(offset: number): Promise<number> {
    if (!this.walked) {
      const entries = await this.offsetIndex();
      if (entries && entries.length > 0) {
        const i = lastAtOrBelow(entries, offset, (e) => e.offset);
        if (i < 0) return 0;
        if (await this.checkIndexEntry(entries[i]!)) return entries[i]!.position;
      } else if (entries && this.files.size < MIN_READ_BYTES * 4) {
        return 0; // a small segment: reading from the start is as quick as walking it
      }
    }
    const walk = await this.walk();
    const i = lastAtOrBelow(walk.offsets, offset);
    return i < 0 ? 0 : walk.positions[i]!;
  }

  /** A byte position at or before the first batch with a timestamp ≥ `timestamp`, or null. */
  async positionForTimestamp(timestamp: number): Promise<number | null> {
    const walk = await this.walk();
    const i = walk.maxTimestamps.findIndex((t) => t >= timestamp);
    return i < 0 ? null : walk.positions[i]!;
  }

  /**
   * Well-framed, CRC-checked entries from `position` until `enough` says stop or the readable
   * data ends. Bad entries are recorded as damage: a CRC mismatch is skipped, anything that
   * hides the next entry ends the read. Returns whether the end of the segment was reached.
   */
  async read(
    position: number,
    wantBytes: number,
    visit: (entry: GoodEntry, filePosition: number) => boolean,
  ): Promise<boolean> {
    const handle = await this.file();
    const size = this.files.size;
    let chunkBytes = Math.min(Math.max(wantBytes, MIN_READ_BYTES), Math.max(size - position, 1));
    while (position < size) {
      // A new buffer for every chunk: the records a visit keeps (keys, values, headers) are
      // views into it, so it must never be read into again.
      const buffer = Buffer.allocUnsafe(chunkBytes);
      const { bytesRead } = await handle.read(
        buffer,
        0,
        Math.min(buffer.length, size - position),
        position,
      );
      const chunk = buffer.subarray(0, bytesRead);
      let next = -1;
      let visited = 0;
      for (const entry of iterateLogEntries(chunk, { verifyCrc: false })) {
        const at = position + entry.position;
        if (entry.kind === 'truncated') {
          if (
            at + entry.availableBytes < size &&
            (entry.requiredBytes === null || at + entry.requiredBytes <= size)
          ) {
            next = at;
            if (
              visited === 0 &&
              entry.requiredBytes !== null &&
              entry.requiredBytes > buffer.length
            ) {
              chunkBytes = entry.requiredBytes;
            }
            break;
          }
          await this.walk(); // records the damage with its kind
          return true;
        }
        if (entry.kind === 'corrupt') {
          this.damage.add({
            file: this.files.name,
            position: at,
            offset:
              entry.position + 8 <= chunk.length
                ? Number(chunk.readBigInt64BE(entry.position))
                : null,
            kind: corruptionKind(entry.error),
            message: damageMessage(entry.error, position),
            effect: entry.sizeInBytes === null ? 'stopped' : 'skipped',
          });
          if (entry.sizeInBytes === null) {
            await this.walk();
            return true;
          }
          continue;
        }
        const crcError = entryCrcError(entry);
        if (crcError) {
          this.damage.add({
            file: this.files.name,
            position: at,
            offset: Number(chunk.readBigInt64BE(entry.position)),
            kind: 'CRC_MISMATCH',
            message: damageMessage(crcError, position),
            effect: 'skipped',
          });
          continue;
        }
        visited++;
        if (!visit(entry, at)) return false;
      }
      if (next < 0) return true;
      position = next;
    }
    return true;
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    await (await handle?.catch(() => null))?.close();
  }
}

async function fileSize(path: string): Promise<number> {
  return (await stat(path)).size;
}

/** Index of the last value ≤ target in an ascending array, or -1. */
export function lastAtOrBelow(values: readonly number[], target: number): number;
export function lastAtOrBelow<T>(
  values: readonly T[],
  target: number,
  key: (value: T) => number,
): number;
export function lastAtOrBelow<T>(
  values: readonly T[],
  target: number,
  key: (value: T) => number = (value) => value as number,
): number {
  // By key, not over a mapped copy: an index holds up to hundreds of thousands of entries.
  let low = 0;
  let high = values.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    if (key(values[mid]!) <= target) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  return found;
}

export { lastOffsetOf };
