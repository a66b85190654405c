/**
 * The walk reads a segment in chunks with the next one on its way (chunkReader.ts): whatever
 * the chunk size, entries cut in two by a chunk, entries larger than a chunk and larger than
 * the room kept for a cut entry's head, it must find exactly what one read of the whole file
 * finds — and stop cleanly on damage. With the CRCs checked on the worker thread one chunk
 * ahead (crcWorker.ts), it must find exactly what it finds checking them itself.
 */
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initCompression } from '../../../broker/protocol/records';
import { buildBatch } from '../../../broker/log/testing/recordBatches';
import { at, kafkajsRecords } from './testing/kafkaDirFixture';
import { crcWorkerAvailable } from './crcWorker';
import { walkSegment, type SegmentWalk } from './segmentWalk';

let root: string;
let path: string;
let bytes: Buffer;
/** Base offset and size of every batch written, in order. */
const written: { offset: number; size: number }[] = [];

beforeAll(async () => {
  await initCompression();
  root = await mkdtemp(join(tmpdir(), 'logscope-walk-test-'));
  path = join(root, '00000000000000000000.log');
  const batches: Buffer[] = [];
  let offset = 0;
  // Small batches, then one of about 1.5 MB (larger than the 1 MiB kept for a cut entry),
  // then one of about 300 KB, then small ones again.
  const add = async (count: number, valueBytes: number) => {
    const batch = at(await buildBatch(kafkajsRecords(count, offset, valueBytes)), offset);
    batches.push(batch);
    written.push({ offset, size: batch.length });
    offset += count;
  };
  for (let i = 0; i < 40; i++) await add(5, 300);
  await add(3, 500_000);
  await add(1, 300_000);
  for (let i = 0; i < 40; i++) await add(7, 120);
  bytes = Buffer.concat(batches);
  await writeFile(path, bytes);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function walk(
  file: string,
  size: number,
  chunkBytes?: number,
  crcWorker = false,
): Promise<SegmentWalk> {
  const handle = await open(file, 'r');
  try {
    const visited: number[] = [];
    const result = await walkSegment(handle, 'x.log', size, {
      verifyCrc: true,
      crcWorker,
      ...(chunkBytes === undefined ? {} : { chunkBytes }),
      onEntry: (entry) => {
        // From the bytes, not the header read while framing: they must still be the chunk's.
        if (entry.kind === 'batch') visited.push(Number(entry.bytes.readBigInt64BE(0)));
      },
    });
    const skipped = new Set(
      result.damage.filter((d) => d.effect === 'skipped').map((d) => d.offset),
    );
    expect(visited).toEqual(
      written.map((w) => w.offset).filter((o) => o <= (result.lastOffset ?? -1) && !skipped.has(o)),
    );
    return result;
  } finally {
    await handle.close();
  }
}

describe('walking a segment in chunks', () => {
  it('finds the same batches whatever the chunk size', async () => {
    const whole = await walk(path, bytes.length);
    expect(whole.batches).toBe(written.length);
    expect(whole.damage).toEqual([]);
    for (const chunkBytes of [100, 1000, 4096, 65_536, 700_000, 2_000_000]) {
      const chunked = await walk(path, bytes.length, chunkBytes);
      expect(chunked).toEqual(whole);
    }
  });

  it('stops at a cut-short last batch with the same damage whatever the chunk size', async () => {
    const cut = join(root, 'cut.log');
    await writeFile(cut, bytes.subarray(0, bytes.length - 10));
    const whole = await walk(cut, bytes.length - 10);
    expect(whole.damage).toEqual([
      expect.objectContaining({ kind: 'TRUNCATED', offset: written.at(-1)!.offset }),
    ]);
    for (const chunkBytes of [100, 4096, 65_536]) {
      expect(await walk(cut, bytes.length - 10, chunkBytes)).toEqual(whole);
    }
  });

  it('reports a file that is shorter than it was said to be, without looping', async () => {
    const short = join(root, 'short.log');
    await writeFile(short, bytes.subarray(0, bytes.length - 5000));
    // The size given is the old one, as when a file shrinks between stat and read.
    const result = await walk(short, bytes.length, 4096);
    expect(result.damage).toHaveLength(1);
    expect(result.damage[0]!.effect).toBe('stopped');
  });

  it('finds the same with the CRCs checked on the worker thread, damage included', async () => {
    expect(crcWorkerAvailable()).toBe(true);
    const whole = await walk(path, bytes.length);
    for (const chunkBytes of [1000, 65_536, 700_000]) {
      expect(await walk(path, bytes.length, chunkBytes, true)).toEqual(whole);
    }
    // A flipped byte in two batches (CRC mismatch: skipped), then each way a file can end
    // badly: cut inside a batch, a zero-filled tail, a length running far past the end.
    const damaged = Buffer.from(bytes);
    const startOf = (i: number) => written.slice(0, i).reduce((sum, w) => sum + w.size, 0);
    damaged[startOf(3) + 100]! ^= 1;
    damaged[startOf(60) + 70]! ^= 0x40;
    const tails: [string, Buffer][] = [
      ['crc.log', damaged],
      ['cut.log', damaged.subarray(0, damaged.length - 10)],
      ['zero.log', Buffer.concat([damaged, Buffer.alloc(5000)])],
      [
        'past.log',
        (() => {
          const copy = Buffer.from(damaged);
          copy.writeInt32BE(50_000_000, startOf(70) + 8);
          return copy;
        })(),
      ],
    ];
    for (const [name, content] of tails) {
      const file = join(root, name);
      await writeFile(file, content);
      const expected = await walk(file, content.length);
      expect(expected.damage.slice(0, 2)).toEqual([
        expect.objectContaining({ kind: 'CRC_MISMATCH', offset: written[3]!.offset }),
        expect.objectContaining({ kind: 'CRC_MISMATCH', offset: written[60]!.offset }),
      ]);
      expect(expected.damage.length).toBe(name === 'crc.log' ? 2 : 3);
      // A CRC mismatch names the file's byte where the stored CRC is (17 bytes into the batch).
      for (const crc of expected.damage.slice(0, 2)) {
        expect(crc.message).toMatch(new RegExp(`\\(at byte ${crc.position + 17}\\)$`));
      }
      for (const chunkBytes of [1000, 65_536, 700_000]) {
        // Whatever the chunks and wherever the CRCs are checked, the same damage and messages.
        expect(await walk(file, content.length, chunkBytes, true), name).toEqual(expected);
        expect(await walk(file, content.length, chunkBytes), name).toEqual(expected);
      }
    }
  });
});
