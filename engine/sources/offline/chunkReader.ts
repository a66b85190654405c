/**
 * Reads a file front to back in large chunks, the next chunk always on its way while the
 * caller works on this one: the copy out of the page cache runs on libuv's thread pool while
 * the main thread checks CRCs, so a validating walk costs about the larger of the two instead
 * of their sum. A chunk rarely ends on an entry boundary: the caller resumes at the entry cut
 * in two, and its head (copied into room kept free before the next chunk) is joined to the
 * next chunk without copying that chunk.
 *
 * Each returned chunk is valid until the next `read` (with `keepPrevious`: until the one after):
 * its buffer is then reused. With `shared`, chunks live in SharedArrayBuffers, so that a
 * worker thread can read them without a copy (crcWorker.ts).
 */
import type { FileHandle } from 'node:fs/promises';

/** Room before each chunk for the head of an entry the previous chunk cut in two. */
const CARRY_BYTES = 1024 * 1024;

export interface ChunkReaderOptions {
  /** Keep the chunk handed out before the last one valid too (a pipelined walk decodes it). */
  keepPrevious?: boolean;
  /** Chunks in SharedArrayBuffers (a worker thread reads them). */
  shared?: boolean;
}

interface Pending {
  buffer: Buffer;
  start: number;
  read: Promise<number>;
}

export class ChunkReader {
  private readonly spare: Buffer[] = [];
  private pending: Pending | null = null;
  /** The chunk handed out last: its buffer, the file range it holds, and where in the buffer. */
  private current: { buffer: Buffer; start: number; end: number; at: number } | null = null;
  /** The buffer of the chunk handed out before `current`, kept valid with `keepPrevious`. */
  private previous: Buffer | null = null;

  constructor(
    private readonly handle: FileHandle,
    private readonly size: number,
    private readonly chunkBytes: number,
    private readonly options: ChunkReaderOptions = {},
  ) {}

  /**
   * The file from `position` on: at least `minBytes` (or up to the end of the file), about a
   * chunk in general. `position` is usually inside the chunk read last, or at its end.
   */
  async read(position: number, minBytes = 1): Promise<Buffer> {
    const want = Math.min(Math.max(minBytes, 1), this.size - position);
    const pending = this.pending;
    const current = this.current;
    this.pending = null;
    if (
      pending !== null &&
      current !== null &&
      current.end === pending.start &&
      position >= current.start &&
      position <= current.end &&
      current.end - position <= CARRY_BYTES
    ) {
      const carried = current.end - position;
      current.buffer.copy(
        pending.buffer,
        CARRY_BYTES - carried,
        current.at + (position - current.start),
        current.at + (current.end - current.start),
      );
      const bytesRead = await pending.read;
      if (carried + bytesRead >= want) {
        this.retire(current.buffer);
        const data = pending.buffer.subarray(CARRY_BYTES - carried, CARRY_BYTES + bytesRead);
        this.handOut(pending.buffer, position, position + data.length, CARRY_BYTES - carried);
        return data;
      }
      this.release(pending.buffer);
    } else if (pending !== null) {
      await pending.read.catch(() => 0); // not this range: let it finish, then drop it
      this.release(pending.buffer);
    }
    if (current !== null) this.retire(current.buffer);
    this.current = null;
    // A direct read: the first chunk, a jump, or an entry larger than the room kept for it.
    // No larger than what is left of the file: a walk of a segment's tail reads little.
    const buffer = this.allocate(
      CARRY_BYTES + Math.max(want, Math.min(this.chunkBytes, this.size - position)),
    );
    const length = Math.min(buffer.length - CARRY_BYTES, this.size - position);
    const { bytesRead } = await this.handle.read(buffer, CARRY_BYTES, length, position);
    const data = buffer.subarray(CARRY_BYTES, CARRY_BYTES + bytesRead);
    this.handOut(buffer, position, position + bytesRead, CARRY_BYTES);
    return data;
  }

  /** Records the chunk handed out and starts reading the one after it. */
  private handOut(buffer: Buffer, start: number, end: number, at: number): void {
    this.current = { buffer, start, end, at };
    if (end >= this.size) return;
    const next = this.spare.pop() ?? this.allocate(CARRY_BYTES + this.chunkBytes);
    const length = Math.min(next.length - CARRY_BYTES, this.size - end);
    const read = this.handle.read(next, CARRY_BYTES, length, end).then((r) => r.bytesRead);
    read.catch(() => {}); // reported by the `read` that awaits it
    this.pending = { buffer: next, start: end, read };
  }

  private allocate(bytes: number): Buffer {
    return this.options.shared
      ? Buffer.from(new SharedArrayBuffer(bytes))
      : Buffer.allocUnsafe(bytes);
  }

  /** A handed-out chunk's buffer is done with: at once, or after one more chunk. */
  private retire(buffer: Buffer): void {
    if (!this.options.keepPrevious) return this.release(buffer);
    if (this.previous !== null) this.release(this.previous);
    this.previous = buffer;
  }

  private release(buffer: Buffer): void {
    // Only chunk-sized buffers are kept; a large one made for a large entry is dropped.
    if (buffer.length === CARRY_BYTES + this.chunkBytes && this.spare.length < 2)
      this.spare.push(buffer);
  }

  /** Waits for a read still on its way (before the file is closed). */
  async close(): Promise<void> {
    const pending = this.pending;
    this.pending = null;
    await pending?.read.catch(() => 0);
  }
}
