/**
 * The walk reads a segment in chunks with the next one on its way (chunkReader.ts): whatever
 * the chunk size, entries cut in two by a chunk, entries larger than a chunk and larger than
 * the room kept for a cut entry's head, it must find exactly what one read of the whole file
 * finds — and stop cleanly on damage.
 */
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initCompression } from '../../../broker/protocol/records';
import { buildBatch } from '../../../broker/log/testing/recordBatches';
import { at, kafkajsRecords } from './testing/kafkaDirFixture';
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

async function walk(file: string, size: number, chunkBytes?: number): Promise<SegmentWalk> {
  const handle = await open(file, 'r');
  try {
    const visited: number[] = [];
    const result = await walkSegment(handle, 'x.log', size, {
      verifyCrc: true,
      ...(chunkBytes === undefined ? {} : { chunkBytes }),
      onEntry: (entry) => {
        if (entry.kind === 'batch') visited.push(Number(entry.header.baseOffset));
      },
    });
    expect(visited).toEqual(
      written.map((w) => w.offset).filter((o) => o <= (result.lastOffset ?? -1)),
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
});
