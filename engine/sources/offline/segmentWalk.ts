/**
 * Walks a `.log` segment file entry by entry, reading it in large chunks, and builds what a
 * reader needs to find things in it without keeping it in memory: a sparse index (one entry
 * about every 4 KiB, like Kafka's `index.interval.bytes`) of batch start positions with the
 * largest timestamp up to the next entry, counts, and the damage it met. The `.log` is the
 * truth here; index files are only hints checked against it (segmentReader.ts).
 */
import type { FileHandle } from 'node:fs/promises';
import { iterateLogEntries } from '../../../broker/protocol/records';
import { batchCrcError, entryCrcError } from './batchCrc';
import { ChunkReader } from './chunkReader';
import { batchCrcs, crcWorkerAvailable } from './crcWorker';
import { corruptionKind, damageMessage, type Damage } from './damage';
import { lastOffsetOf, type GoodEntry } from './entryRecords';

export const WALK_CHUNK_BYTES = 8 * 1024 * 1024;
const SPARSE_INTERVAL_BYTES = 4096;

export interface SegmentWalk {
  /** Base offsets of the batches the sparse index points at, ascending. */
  offsets: number[];
  positions: number[];
  /** Largest record timestamp from each sparse entry up to the next one. */
  maxTimestamps: number[];
  batches: number;
  records: number;
  /** Offset of the first and last record, or null for an empty segment. */
  firstOffset: number | null;
  lastOffset: number | null;
  firstTimestamp: number | null;
  maxTimestamp: number | null;
  /** Where readable data ends: the file size, or the position of the damage that stopped the walk. */
  endPosition: number;
  damage: Damage[];
}

export interface WalkOptions {
  /** Start here instead of at byte 0 (a position an index entry pointed at). */
  start?: number;
  /** Check every entry's CRC (a full validation); else only framing is checked. */
  verifyCrc?: boolean;
  /**
   * Check CRCs on the worker thread (crcWorker.ts), one chunk ahead of the entries handed
   * to `onEntry`. Default: when there is one, for a walk of more than two chunks.
   */
  crcWorker?: boolean;
  chunkBytes?: number;
  /** Called for each well-framed entry, with its bytes (only valid during the call). */
  onEntry?: (entry: GoodEntry, filePosition: number) => void | Promise<void>;
}

/** One chunk's entries, framed (lengths and magic checked), not yet CRC-checked nor counted. */
interface FramedChunk {
  chunk: Buffer;
  /** Where the chunk starts in the file. */
  position: number;
  entries: GoodEntry[];
  /** Entries whose framing is bad but whose length lets the walk go on: damage before entry `before`. */
  skipped: { before: number; damage: Damage }[];
  /** The damage that ends the walk, after the entries. */
  stop: Damage | null;
  /** Where the next chunk starts (-1: the end of the file), and the bytes it must hold. */
  resumeAt: number;
  need: number;
  /** The batches' CRCs from the worker, in entry order (batches only). */
  crcs: Promise<Uint32Array | null> | null;
  /** Set when `stop` is bad framing followed by zeros up to the chunk's end: where they start. */
  zerosFrom?: number;
}

export async function walkSegment(
  handle: FileHandle,
  file: string,
  size: number,
  options: WalkOptions = {},
): Promise<SegmentWalk> {
  const walk: SegmentWalk = {
    offsets: [],
    positions: [],
    maxTimestamps: [],
    batches: 0,
    records: 0,
    firstOffset: null,
    lastOffset: null,
    firstTimestamp: null,
    maxTimestamp: null,
    endPosition: size,
    damage: [],
  };
  const chunkBytes = options.chunkBytes ?? WALK_CHUNK_BYTES;
  const verifyCrc = options.verifyCrc ?? false;
  let position = options.start ?? 0;
  // Pipelined: the worker checks chunk N's CRCs while this thread counts and hands out the
  // entries of chunk N-1, which the reader keeps valid that long.
  const pipelined =
    verifyCrc && (options.crcWorker ?? size - position > 2 * chunkBytes) && crcWorkerAvailable();
  const reader = new ChunkReader(handle, size, Math.min(chunkBytes, Math.max(size, 1)), {
    keepPrevious: pipelined,
    shared: pipelined,
  });
  const counter = new EntryCounter(walk, file, verifyCrc, options.onEntry);
  /** Bytes the next read must hold: a whole entry the last chunk cut in two. */
  let need = 1;
  let stalled = 0;
  let previous: FramedChunk | null = null;
  try {
    while (position < size) {
      const chunk = await reader.read(position, need);
      const framed = frameChunk(chunk, position, file, size);
      if (
        framed.zerosFrom !== undefined &&
        (await zeroToEnd(handle, position + chunk.length, size))
      ) {
        framed.stop = zeroFilledTail(file, framed.zerosFrom, size);
      }
      if (framed.stop === null && framed.resumeAt >= 0) {
        // No progress twice: the entry's bytes did not come (the file shrank while being read).
        stalled = framed.resumeAt === position ? stalled + 1 : 0;
        if (stalled > 1) {
          framed.stop = {
            file,
            position,
            offset: null,
            kind: 'TRUNCATED',
            message: 'the file ended early while it was read (it changed on disk)',
            effect: 'stopped',
          };
        }
      }
      if (pipelined) {
        framed.crcs = workerCrcs(framed);
        if (previous) await counter.count(previous);
        previous = framed;
      } else {
        await counter.count(framed);
      }
      if (framed.stop !== null || framed.resumeAt < 0) break;
      position = framed.resumeAt;
      need = framed.need;
    }
    if (previous) await counter.count(previous);
  } finally {
    await reader.close();
  }
  return walk;
}

/**
 * Frames the entries of a chunk that starts at `position` in the file: what is whole, what
 * damage stops the walk here, or where to read on (an entry the chunk cuts in two).
 */
function frameChunk(chunk: Buffer, position: number, file: string, size: number): FramedChunk {
  const framed: FramedChunk = {
    chunk,
    position,
    entries: [],
    skipped: [],
    stop: null,
    resumeAt: -1,
    need: 1,
    crcs: null,
  };
  // CRCs are checked later (batchCrc.ts, crcWorker.ts), not by the codec: natively where possible.
  for (const entry of iterateLogEntries(chunk, { verifyCrc: false })) {
    const at = position + entry.position;
    if (entry.kind === 'truncated') {
      const required = entry.requiredBytes;
      // Only the chunk ends here: read on from this entry, with room for all of it.
      if (at + entry.availableBytes < size && (required === null || at + required <= size)) {
        if (required !== null) framed.need = required;
        framed.resumeAt = at;
        return framed;
      }
      // The file ends inside this entry: judged on all the bytes the file has after it,
      // whichever chunk this is.
      framed.stop = cutShort(file, at, chunk, entry.position, required, size);
      return framed;
    }
    if (entry.kind === 'corrupt') {
      const zeros = entry.sizeInBytes === null && isZeroFrom(chunk, entry.position);
      if (zeros && position + chunk.length >= size) {
        framed.stop = zeroFilledTail(file, at, size);
        return framed;
      }
      const damage: Damage = {
        file,
        position: at,
        offset: readOffset(chunk, entry.position),
        kind: corruptionKind(entry.error),
        message: damageMessage(entry.error, position),
        effect: entry.sizeInBytes === null ? 'stopped' : 'skipped',
      };
      if (entry.sizeInBytes === null) {
        framed.stop = damage;
        // Zeros to the end of this chunk: a zero-filled tail (a preallocated segment) if the
        // rest of the file is zeros too, which walkSegment reads to find out.
        if (zeros) framed.zerosFrom = at;
        return framed;
      }
      framed.skipped.push({ before: framed.entries.length, damage });
      continue;
    }
    framed.entries.push(entry);
  }
  // A chunk that ended exactly between two entries: go on after it.
  if (position + chunk.length < size) framed.resumeAt = position + chunk.length;
  return framed;
}

/** Has the worker compute the CRCs of a framed chunk's batches; null when it cannot. */
function workerCrcs(framed: FramedChunk): Promise<Uint32Array | null> | null {
  const ranges: number[] = [];
  for (const entry of framed.entries) {
    if (entry.kind !== 'batch') continue;
    ranges.push(entry.bytes.byteOffset, entry.bytes.byteOffset + entry.sizeInBytes);
  }
  if (ranges.length === 0) return null;
  return batchCrcs(framed.chunk.buffer as SharedArrayBuffer, Int32Array.from(ranges)).catch(
    () => null, // the worker failed: this thread checks them
  );
}

/** Checks the CRCs of framed entries, counts them into the walk and hands them out, in order. */
class EntryCounter {
  private lastSparse = -Infinity;

  constructor(
    private readonly walk: SegmentWalk,
    private readonly file: string,
    private readonly verifyCrc: boolean,
    private readonly onEntry: WalkOptions['onEntry'],
  ) {}

  async count(framed: FramedChunk): Promise<void> {
    const { walk, file } = this;
    const { chunk, entries, skipped } = framed;
    const crcs = framed.crcs ? await framed.crcs : null;
    let batch = 0;
    let s = 0;
    for (let i = 0; i < entries.length; i++) {
      while (s < skipped.length && skipped[s]!.before === i) walk.damage.push(skipped[s++]!.damage);
      const entry = entries[i]!;
      const at = framed.position + entry.position;
      if (this.verifyCrc) {
        const error =
          crcs !== null && entry.kind === 'batch'
            ? batchCrcError(entry, crcs[batch++]!)
            : entryCrcError(entry);
        if (error) {
          walk.damage.push({
            file,
            position: at,
            offset: readOffset(chunk, entry.position),
            kind: 'CRC_MISMATCH',
            message: damageMessage(error, framed.position),
            effect: 'skipped',
          });
          continue;
        }
      }
      const last = lastOffsetOf(entry);
      const first = entry.kind === 'batch' ? Number(entry.header.baseOffset) : last;
      const maxTimestamp =
        entry.kind === 'batch' ? Number(entry.header.maxTimestamp) : legacyTimestamp(entry.bytes);
      if (at - this.lastSparse >= SPARSE_INTERVAL_BYTES) {
        walk.offsets.push(first);
        walk.positions.push(at);
        walk.maxTimestamps.push(maxTimestamp);
        this.lastSparse = at;
      } else if (maxTimestamp > walk.maxTimestamps[walk.maxTimestamps.length - 1]!) {
        walk.maxTimestamps[walk.maxTimestamps.length - 1] = maxTimestamp;
      }
      walk.batches++;
      walk.records += entry.kind === 'batch' ? entry.header.recordsCount : 1;
      walk.firstOffset ??= first;
      walk.lastOffset = last;
      if (entry.kind === 'batch') walk.firstTimestamp ??= Number(entry.header.baseTimestamp);
      walk.maxTimestamp = Math.max(walk.maxTimestamp ?? -Infinity, maxTimestamp);
      if (this.onEntry) {
        // Awaited only when it returns a promise: a hop per batch cost more than the batch.
        const pending = this.onEntry(entry, at);
        if (pending) await pending;
      }
    }
    while (s < skipped.length) walk.damage.push(skipped[s++]!.damage);
    if (framed.stop !== null) {
      walk.damage.push(framed.stop);
      walk.endPosition = framed.stop.position;
    }
  }
}

/**
 * An entry the end of the file cuts: a length far past the end is more likely a damaged
 * length field (LENGTH_PAST_EOF) than a file cut short inside it (TRUNCATED).
 */
function cutShort(
  file: string,
  at: number,
  chunk: Buffer,
  local: number,
  required: number | null,
  size: number,
): Damage {
  const present = size - at;
  if (required !== null && required > 2 * present + 4096)
    return pastEof(file, at, chunk, local, required, size);
  return {
    file,
    position: at,
    offset: readOffset(chunk, local),
    kind: 'TRUNCATED',
    message: `the file ends inside an entry: ${present} of ${required ?? 'at least 17'} bytes present`,
    effect: 'stopped',
  };
}

function pastEof(
  file: string,
  at: number,
  chunk: Buffer,
  local: number,
  required: number,
  size: number,
): Damage {
  return {
    file,
    position: at,
    offset: readOffset(chunk, local),
    kind: 'LENGTH_PAST_EOF',
    message: `the entry's length says ${required} bytes, but the file ends ${size - at} bytes after its start (a wrong length, or a file cut short)`,
    effect: 'stopped',
  };
}

function readOffset(chunk: Buffer, at: number): number | null {
  return at + 8 <= chunk.length ? Number(chunk.readBigInt64BE(at)) : null;
}

function zeroFilledTail(file: string, at: number, size: number): Damage {
  return {
    file,
    position: at,
    offset: null,
    kind: 'ZERO_FILLED_TAIL',
    message: `${size - at} zero bytes from here to the end of the file`,
    effect: 'stopped',
  };
}

/** Whether the file holds only zero bytes from `from` to `size` (read in 1 MiB pieces). */
async function zeroToEnd(handle: FileHandle, from: number, size: number): Promise<boolean> {
  const piece = Buffer.allocUnsafe(Math.min(1 << 20, Math.max(size - from, 1)));
  for (let at = from; at < size;) {
    const { bytesRead } = await handle.read(piece, 0, Math.min(piece.length, size - at), at);
    if (bytesRead === 0) return false; // shorter than it was said to be: not a zero tail
    if (!isZeroFrom(piece.subarray(0, bytesRead), 0)) return false;
    at += bytesRead;
  }
  return true;
}

function isZeroFrom(chunk: Buffer, at: number): boolean {
  for (let i = at; i < chunk.length; i++) if (chunk[i] !== 0) return false;
  return true;
}

/** A magic 1 message's timestamp (bytes 18..26 of the entry); -1 for magic 0. */
function legacyTimestamp(bytes: Buffer): number {
  return bytes[16] === 1 && bytes.length >= 26 ? Number(bytes.readBigInt64BE(18)) : -1;
}
