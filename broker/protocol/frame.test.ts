import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_SOCKET_REQUEST_MAX_BYTES, FrameDecoder, FrameError } from './frame';

function stream(frames: Uint8Array[]): Buffer {
  return Buffer.concat(
    frames.flatMap((body) => {
      const size = Buffer.alloc(4);
      size.writeInt32BE(body.length);
      return [size, body];
    }),
  );
}

/** Cuts `bytes` at the given points (each taken modulo the length). */
function cut(bytes: Buffer, points: number[]): Buffer[] {
  const at = [...new Set(points.map((p) => (bytes.length ? p % bytes.length : 0)))].sort(
    (a, b) => a - b,
  );
  const chunks: Buffer[] = [];
  let previous = 0;
  for (const point of [...at, bytes.length]) {
    chunks.push(bytes.subarray(previous, point));
    previous = point;
  }
  return chunks;
}

/** Feeds chunks until the decoder fails; checks what must hold whatever the input. */
function feedChecked(decoder: FrameDecoder, chunks: Uint8Array[]): Buffer[] {
  const frames: Buffer[] = [];
  for (const chunk of chunks) {
    let out: Buffer[];
    try {
      out = decoder.push(chunk);
    } catch (error) {
      expect(error).toBeInstanceOf(FrameError);
      expect(() => decoder.push(new Uint8Array([0]))).toThrow(FrameError);
      return frames;
    }
    for (const frame of out) expect(frame.length).toBeLessThanOrEqual(decoder.maxFrameBytes);
    expect(decoder.pendingBytes).toBeLessThanOrEqual(decoder.maxFrameBytes + 4);
    frames.push(...out);
  }
  return frames;
}

describe('FrameDecoder', { timeout: 60_000 }, () => {
  afterEach(() => vi.restoreAllMocks());

  it('returns exactly the frames sent, however the stream is cut', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (bodies, points) => {
          const decoder = new FrameDecoder(1000);
          const frames = cut(stream(bodies), points).flatMap((chunk) => decoder.push(chunk));
          expect(frames.map((f) => [...f])).toEqual(bodies.map((b) => [...b]));
          expect(decoder.pendingBytes).toBe(0);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never throws anything but FrameError on random bytes, and never yields an oversize frame', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 30 }), (chunks) => {
        feedChecked(new FrameDecoder(256), chunks);
      }),
      { numRuns: 2000 },
    );
  });

  it('survives mutated streams of valid frames (flipped, dropped and inserted bytes)', () => {
    const mutation = fc.oneof(
      fc.record({
        kind: fc.constant('flip' as const),
        at: fc.nat(),
        value: fc.integer({ min: 0, max: 255 }),
      }),
      fc.record({ kind: fc.constant('drop' as const), at: fc.nat(), value: fc.constant(0) }),
      fc.record({
        kind: fc.constant('insert' as const),
        at: fc.nat(),
        value: fc.integer({ min: 0, max: 255 }),
      }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 100 }), { minLength: 1, maxLength: 8 }),
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (bodies, mutations, points) => {
          const bytes = [...stream(bodies)];
          for (const { kind, at, value } of mutations) {
            const i = bytes.length ? at % bytes.length : 0;
            if (kind === 'flip') bytes[i] = value;
            else if (kind === 'drop') bytes.splice(i, 1);
            else bytes.splice(i, 0, value);
          }
          feedChecked(new FrameDecoder(200), cut(Buffer.from(bytes), points));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('rejects a frame over socket.request.max.bytes as soon as its size arrives, allocating nothing for it', () => {
    const allocations: number[] = [];
    for (const method of ['alloc', 'allocUnsafe', 'allocUnsafeSlow'] as const) {
      const original = Buffer[method].bind(Buffer) as (size: number, ...rest: unknown[]) => Buffer;
      const spy = (size: number, ...rest: unknown[]): Buffer => {
        allocations.push(size);
        return original(size, ...rest);
      };
      vi.spyOn(Buffer, method).mockImplementation(spy as never);
    }
    const concat = Buffer.concat.bind(Buffer);
    vi.spyOn(Buffer, 'concat').mockImplementation((list, total) => {
      allocations.push(total ?? list.reduce((n, b) => n + b.length, 0));
      return concat(list, total);
    });

    const decoder = new FrameDecoder();
    expect(decoder.maxFrameBytes).toBe(DEFAULT_SOCKET_REQUEST_MAX_BYTES);
    // The size arrives one byte at a time: the decoder fails on the fourth.
    const size = Buffer.alloc(4);
    size.writeInt32BE(DEFAULT_SOCKET_REQUEST_MAX_BYTES + 1);
    allocations.length = 0;
    decoder.push(size.subarray(0, 1));
    decoder.push(size.subarray(1, 3));
    expect(() => decoder.push(size.subarray(3, 4))).toThrow(/larger than socket.request.max.bytes/);
    expect(Math.max(0, ...allocations)).toBeLessThan(1024);
  });

  it('rejects a negative size', () => {
    const decoder = new FrameDecoder();
    expect(() => decoder.push(Buffer.from([0xff, 0xff, 0xff, 0xfe, 1, 2]))).toThrow(/negative/);
  });

  it('holds only the bytes a stalled client actually sent of a large frame', () => {
    const allocations: number[] = [];
    const concat = Buffer.concat.bind(Buffer);
    vi.spyOn(Buffer, 'concat').mockImplementation((list, total) => {
      allocations.push(total ?? 0);
      return concat(list, total);
    });
    const decoder = new FrameDecoder();
    const head = Buffer.alloc(4 + 1000);
    head.writeInt32BE(50 * 1024 * 1024);
    expect(decoder.push(head)).toEqual([]);
    expect(decoder.pendingBytes).toBe(1004);
    expect(allocations).toEqual([]);
  });

  it('returns a zero-length frame (the header parser rejects it, not the framer)', () => {
    expect(new FrameDecoder().push(Buffer.from([0, 0, 0, 0]))).toEqual([Buffer.alloc(0)]);
  });
});
