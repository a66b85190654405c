/**
 * Splits a byte stream into Kafka frames: an int32 size, then that many bytes. Bytes in, frame
 * bodies out; no I/O. A size that is negative or over the limit (`socket.request.max.bytes`) is
 * rejected as soon as its 4 bytes arrive, before anything is allocated for the frame, and a
 * frame's bytes are only held as they arrive, so a client that announces a large frame and stalls
 * costs what it actually sent.
 */

/** Kafka's default `socket.request.max.bytes`: 100 MiB. */
export const DEFAULT_SOCKET_REQUEST_MAX_BYTES = 100 * 1024 * 1024;

/** The stream is not a sequence of acceptable frames; the connection must be closed. */
export class FrameError extends Error {
  override readonly name = 'FrameError';
}

const SIZE_BYTES = 4;

export class FrameDecoder {
  /** Bytes of the size prefix received so far (it may arrive split). */
  private readonly sizePrefix = Buffer.alloc(SIZE_BYTES);
  private sizePrefixLength = 0;
  /** Size of the frame being received, or -1 while its size prefix is incomplete. */
  private frameSize = -1;
  /** Parts of the frame being received, when it spans chunks. */
  private parts: Buffer[] = [];
  private partsLength = 0;
  private failed = false;

  constructor(readonly maxFrameBytes: number = DEFAULT_SOCKET_REQUEST_MAX_BYTES) {
    if (!Number.isInteger(maxFrameBytes) || maxFrameBytes < 0 || maxFrameBytes > 0x7fffffff) {
      throw new RangeError(`maximum frame size must be 0..2147483647, not ${maxFrameBytes}`);
    }
  }

  /** Bytes held for a frame not yet complete (its size prefix included). */
  get pendingBytes(): number {
    return this.frameSize < 0 ? this.sizePrefixLength : SIZE_BYTES + this.partsLength;
  }

  /**
   * Takes the next bytes of the stream and returns the bodies of the frames they complete, in
   * order (views into `chunk` where a frame lies within it). Throws `FrameError` for a bad size;
   * the decoder is unusable after that.
   */
  push(chunk: Uint8Array): Buffer[] {
    if (this.failed) throw new FrameError('the stream already failed');
    const bytes = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const frames: Buffer[] = [];
    let at = 0;
    while (at < bytes.length) {
      if (this.frameSize < 0) {
        if (this.sizePrefixLength === 0 && bytes.length - at >= SIZE_BYTES) {
          this.startFrame(bytes.readInt32BE(at));
          at += SIZE_BYTES;
        } else {
          const take = Math.min(SIZE_BYTES - this.sizePrefixLength, bytes.length - at);
          bytes.copy(this.sizePrefix, this.sizePrefixLength, at, at + take);
          this.sizePrefixLength += take;
          at += take;
          if (this.sizePrefixLength < SIZE_BYTES) break;
          this.startFrame(this.sizePrefix.readInt32BE(0));
        }
      }
      const missing = this.frameSize - this.partsLength;
      const available = bytes.length - at;
      if (this.partsLength === 0 && available >= missing) {
        frames.push(bytes.subarray(at, at + missing));
        at += missing;
        this.frameSize = -1;
        continue;
      }
      const take = Math.min(missing, available);
      this.parts.push(bytes.subarray(at, at + take));
      this.partsLength += take;
      at += take;
      if (this.partsLength === this.frameSize) {
        frames.push(Buffer.concat(this.parts, this.frameSize));
        this.parts = [];
        this.partsLength = 0;
        this.frameSize = -1;
      }
    }
    return frames;
  }

  private startFrame(size: number): void {
    this.sizePrefixLength = 0;
    if (size < 0) {
      this.failed = true;
      throw new FrameError(`negative frame size ${size}`);
    }
    if (size > this.maxFrameBytes) {
      this.failed = true;
      throw new FrameError(
        `frame of ${size} bytes is larger than socket.request.max.bytes (${this.maxFrameBytes})`,
      );
    }
    this.frameSize = size;
  }
}
