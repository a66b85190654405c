/**
 * One partition of a Kafka log directory: its segments in base-offset order, read as one log.
 * Fetches answer like a broker's: whole batches from the one holding the offset, at least one,
 * up to the byte limit, going on into the next segment; control batches take offsets but give
 * no records. The log start offset comes from the first segment, raised by
 * `log-start-offset-checkpoint` when that says so (records deleted by DeleteRecords); the high
 * watermark is the offset after the last readable record.
 */
import type { FetchResult } from '../../browse/logReader';
import type { RawRecord } from '../../browse/record';
import { DamageLog, explainDamage, type Damage } from './damage';
import { entryRecords, lastOffsetOf } from './entryRecords';
import { lastAtOrBelow, SegmentReader, type SegmentFiles } from './segmentReader';

export interface SegmentDetails {
  file: string;
  baseOffset: number;
  lastOffset: number | null;
  bytes: number;
  batches: number;
  records: number;
  firstTimestamp: number | null;
  lastTimestamp: number | null;
  modifiedAt: number;
  indexEntries: number | null;
  timeIndexEntries: number | null;
  indexNotes: string[];
  damage: Damage[];
}

export class PartitionReader {
  readonly damage = new DamageLog();
  private readonly segments: SegmentReader[];

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly dir: string,
    files: SegmentFiles[],
    private readonly checkpointLogStart: number | null,
  ) {
    this.segments = [...files]
      .sort((a, b) => a.baseOffset - b.baseOffset)
      .map((f) => new SegmentReader(f, this.damage));
  }

  /** The segment files, in base-offset order. */
  segmentFiles(): SegmentFiles[] {
    return this.segments.map((s) => s.files);
  }

  get segmentCount(): number {
    return this.segments.length;
  }

  get bytes(): number {
    return this.segments.reduce((sum, s) => sum + s.files.size, 0);
  }

  async offsets(): Promise<{ logStartOffset: number; highWatermark: number }> {
    const first = this.segments[0];
    if (!first)
      return {
        logStartOffset: this.checkpointLogStart ?? 0,
        highWatermark: this.checkpointLogStart ?? 0,
      };
    let highWatermark = first.baseOffset;
    for (let i = this.segments.length - 1; i >= 0; i--) {
      const { lastOffset } = await this.segments[i]!.lastOffset();
      if (lastOffset !== null) {
        highWatermark = Math.max(lastOffset + 1, this.segments.at(-1)!.baseOffset);
        break;
      }
    }
    let logStartOffset = first.baseOffset;
    const checkpoint = this.checkpointLogStart;
    if (checkpoint !== null && checkpoint > logStartOffset && checkpoint <= highWatermark)
      logStartOffset = checkpoint;
    return { logStartOffset, highWatermark };
  }

  async fetch(offset: number, maxBytes: number): Promise<FetchResult> {
    const { logStartOffset, highWatermark } = await this.offsets();
    const records: RawRecord[] = [];
    let nextOffset = Math.max(offset, logStartOffset);
    let bytes = 0;
    const from = nextOffset;
    let s = Math.max(
      0,
      lastAtOrBelow(this.segments, nextOffset, (x) => x.baseOffset),
    );
    for (; s < this.segments.length && nextOffset < highWatermark; s++) {
      const segment = this.segments[s]!;
      nextOffset = Math.max(nextOffset, segment.baseOffset);
      const position = await segment.positionFor(nextOffset);
      let full = false;
      await segment.read(position, maxBytes - bytes, (entry, filePosition) => {
        const last = lastOffsetOf(entry);
        if (last < nextOffset) return true;
        if (bytes > 0 && bytes + entry.sizeInBytes > maxBytes) {
          full = true;
          return false;
        }
        try {
          for (const record of entryRecords(entry, this.partition)) {
            if (record.offset >= from) records.push(record);
          }
        } catch (error) {
          this.damage.add({
            file: segment.files.name,
            position: filePosition,
            offset: entry.kind === 'batch' ? Number(entry.header.baseOffset) : last,
            kind: 'CORRUPT',
            message: `records cannot be decoded: ${(error as Error).message}`,
            effect: 'skipped',
          });
        }
        bytes += entry.sizeInBytes;
        nextOffset = last + 1;
        return bytes < maxBytes;
      });
      if (full || bytes >= maxBytes) break;
    }
    return { records, nextOffset, highWatermark, logStartOffset };
  }

  /** The first offset whose record timestamp is ≥ `timestamp`, else the high watermark. */
  async offsetForTimestamp(timestamp: number): Promise<number> {
    const { logStartOffset, highWatermark } = await this.offsets();
    for (const segment of this.segments) {
      const position = await segment.positionForTimestamp(timestamp);
      if (position === null) continue;
      let found: number | null = null;
      await segment.read(position, 0, (entry) => {
        for (const record of entryRecords(entry, this.partition)) {
          if (record.timestamp >= timestamp && record.offset >= logStartOffset) {
            found = record.offset;
            return false;
          }
        }
        return true;
      });
      if (found !== null) return found;
    }
    return highWatermark;
  }

  /** True once every segment was walked with its CRCs checked. */
  checked = false;

  /** Walks every segment with CRCs checked (once; the damage is kept). */
  async validate(): Promise<void> {
    for (const segment of this.segments) await segment.validate();
    this.checked = true;
  }

  /** Every segment walked with CRCs checked: the segments view. */
  async segmentDetails(): Promise<SegmentDetails[]> {
    await this.validate();
    const details: SegmentDetails[] = [];
    for (const segment of this.segments) {
      const walk = await segment.validate();
      details.push({
        file: segment.files.name,
        baseOffset: segment.baseOffset,
        lastOffset: walk.lastOffset,
        bytes: segment.files.size,
        batches: walk.batches,
        records: walk.records,
        firstTimestamp: walk.firstTimestamp,
        lastTimestamp: walk.maxTimestamp,
        modifiedAt: segment.files.mtimeMs,
        indexEntries: (await segment.offsetIndex())?.length ?? null,
        timeIndexEntries: await segment.timeIndexEntries(),
        indexNotes: await segment.indexNotes(walk),
        damage: await this.explained(this.damage.forFile(segment.files.name)),
      });
    }
    return details;
  }

  /** Damage found so far, each with what it means and up to which offset its file reads. */
  async explainedDamage(): Promise<Damage[]> {
    return this.explained(this.damage.list());
  }

  private async explained(found: Damage[]): Promise<Damage[]> {
    const result: Damage[] = [];
    for (const damage of found) {
      const i = this.segments.findIndex((s) => s.files.name === damage.file);
      const segment = this.segments[i];
      if (!segment) {
        result.push(damage);
        continue;
      }
      let readableBefore: number | null = damage.offset;
      if (damage.effect === 'stopped') {
        // Walks stop at the first damage that hides the next entry: the walk's last offset is
        // the last one readable before it.
        const { lastOffset } = await segment.walk();
        readableBefore = lastOffset === null ? null : lastOffset + 1;
      }
      result.push(explainDamage(damage, readableBefore, this.segments[i + 1]?.baseOffset ?? null));
    }
    return result;
  }

  async close(): Promise<void> {
    await Promise.all(this.segments.map((s) => s.close()));
  }
}
