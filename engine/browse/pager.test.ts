import { describe, expect, it } from 'vitest';
import { MessagesQuery, type Message, type MessagePage } from '../api';
import { compileFilter } from './filter';
import { MemoryLog } from './memoryLog';
import { readPage } from './pager';
import { RecordSizeEstimate } from './partitionScan';
import { WHOLE } from './record';

const BASE = Date.parse('2024-05-01T00:00:00Z');

/** One partition, offsets 0…n-1, timestamps one second apart, value `{"n": offset}`. */
function singlePartition(n: number): MemoryLog {
  const log = new MemoryLog(1, 7);
  log.append(
    0,
    Array.from({ length: n }, (_, i) => ({ timestamp: BASE + i * 1000, value: `{"n":${i}}` })),
  );
  return log;
}

/** Three partitions whose timestamps interleave, with duplicates across partitions. */
function threePartitions(): MemoryLog {
  const log = new MemoryLog(3, 4);
  for (let p = 0; p < 3; p++) {
    log.append(
      p,
      Array.from({ length: 50 + p * 10 }, (_, i) => ({
        timestamp: BASE + (i * 3 + p) * 1000 - (p === 2 && i % 5 === 0 ? 1000 : 0),
        key: `k${p}`,
        value: `p${p}-${i}`,
      })),
    );
  }
  return log;
}

async function page(
  log: MemoryLog,
  query: Record<string, unknown>,
  filter?: string,
  scanLimit?: number,
) {
  return readPage(
    { reader: log, sizes: new RecordSizeEstimate() },
    {
      topic: 't',
      query: MessagesQuery.parse(query),
      filter: filter ? compileFilter(filter) : null,
      decode: WHOLE,
      ...(scanLimit !== undefined ? { scanLimit } : {}),
    },
  );
}

const at = (messages: Message[]) => messages.map((m) => `${m.partition}:${m.offset}`);
const byTime = (a: Message, b: Message) =>
  a.timestamp - b.timestamp || a.partition - b.partition || a.offset - b.offset;

async function followAll(log: MemoryLog, first: MessagePage, key: 'next' | 'previous' = 'next') {
  const pages = [first];
  while (pages.at(-1)![key] !== null && pages.length < 1000) {
    pages.push(await page(log, { cursor: pages.at(-1)![key], limit: first.messages.length || 10 }));
  }
  return pages;
}

describe('message pages', () => {
  it('pages forward through one partition with cursors: every message once, in order', async () => {
    const log = singlePartition(95);
    const first = await page(log, { partition: 0, position: 'earliest', limit: 10 });
    expect(first.previous).toBeNull();
    const pages = await followAll(log, first);
    const offsets = pages.flatMap((p) => p.messages.map((m) => m.offset));
    expect(offsets).toEqual(Array.from({ length: 95 }, (_, i) => i));
    expect(pages.at(-1)!.next).toBeNull();
  });

  it('pages backward from the latest: newest first, and a previous cursor leads back', async () => {
    const log = singlePartition(95);
    const first = await page(log, {
      partition: 0,
      position: 'latest',
      direction: 'backward',
      limit: 10,
    });
    expect(first.messages.map((m) => m.offset)).toEqual([94, 93, 92, 91, 90, 89, 88, 87, 86, 85]);
    expect(first.previous).toBeNull(); // nothing newer
    const pages = await followAll(log, first);
    expect(pages.flatMap((p) => p.messages.map((m) => m.offset))).toEqual(
      Array.from({ length: 95 }, (_, i) => 94 - i),
    );
    // From the second page, "previous" is the first page again (in the forward direction).
    const back = await page(log, { cursor: pages[1]!.previous, limit: 10 });
    expect(back.messages.map((m) => m.offset)).toEqual([85, 86, 87, 88, 89, 90, 91, 92, 93, 94]);
  });

  it('from an offset forward includes it; backward from an offset includes it too', async () => {
    const log = singlePartition(50);
    const forward = await page(log, { partition: 0, offset: 20, limit: 3 });
    expect(forward.messages.map((m) => m.offset)).toEqual([20, 21, 22]);
    const backward = await page(log, { partition: 0, offset: 20, direction: 'backward', limit: 3 });
    expect(backward.messages.map((m) => m.offset)).toEqual([20, 19, 18]);
    const previous = await page(log, { cursor: forward.previous, limit: 3 });
    expect(previous.messages.map((m) => m.offset)).toEqual([19, 18, 17]);
  });

  it('latest, forward: the last messages, oldest first', async () => {
    const log = singlePartition(50);
    const latest = await page(log, { partition: 0, position: 'latest', limit: 5 });
    expect(latest.messages.map((m) => m.offset)).toEqual([45, 46, 47, 48, 49]);
    expect(latest.next).toBeNull();
    const older = await page(log, { cursor: latest.previous, limit: 5 });
    expect(older.messages.map((m) => m.offset)).toEqual([44, 43, 42, 41, 40]);
  });

  it('merges all partitions by timestamp, across pages, in both directions', async () => {
    const log = threePartitions();
    const all = await log.fetch(
      't',
      [0, 1, 2].map((p) => ({ partition: p, offset: 0, maxBytes: 1e9 })),
    );
    const expected = [...all.values()]
      .flatMap((r) => r.records)
      .map((r) => ({ ...r, key: null, value: null, headers: [] }))
      .sort((a, b) => a.timestamp - b.timestamp || a.partition - b.partition || a.offset - b.offset)
      .map((r) => `${r.partition}:${r.offset}`);
    expect(expected).toHaveLength(180);

    const forward = await followAll(log, await page(log, { position: 'earliest', limit: 17 }));
    const seen = forward.flatMap((p) => p.messages);
    expect(at(seen)).toEqual(expected);
    expect([...seen].sort(byTime)).toEqual(seen);

    const backward = await followAll(
      log,
      await page(log, { position: 'latest', direction: 'backward', limit: 23 }),
    );
    expect(at(backward.flatMap((p) => p.messages))).toEqual([...expected].reverse());
  });

  it('seeks by timestamp: the first message at or after the time, in every partition', async () => {
    const log = singlePartition(100);
    const found = await page(log, { partition: 0, timestamp: BASE + 41_500, limit: 2 });
    expect(found.messages.map((m) => m.offset)).toEqual([42, 43]);
    const merged = await page(threePartitions(), { timestamp: BASE + 30_000, limit: 3 });
    expect(merged.messages.every((m) => m.timestamp >= BASE + 30_000)).toBe(true);
    expect(merged.messages[0]!.timestamp).toBe(BASE + 30_000);
    const past = await page(log, { partition: 0, timestamp: BASE + 10_000_000, limit: 2 });
    expect(past).toMatchObject({ messages: [], next: null });
  });

  it('reads only what a page needs from a large partition', async () => {
    const log = singlePartition(200_000);
    log.fetchCount = 0;
    const middle = await page(log, { partition: 0, offset: 123_456, limit: 100 });
    expect(middle.messages.map((m) => m.offset)).toEqual(
      Array.from({ length: 100 }, (_, i) => 123_456 + i),
    );
    expect(log.fetchCount).toBeLessThanOrEqual(2);
    expect(middle.scanned).toBe(100);
  });

  it('filters, counts what it scanned, and stops at the scan budget with a cursor to go on', async () => {
    const log = singlePartition(1000);
    const even = await page(log, { partition: 0, limit: 10 }, 'value.n % 100 == 0');
    expect(even.messages.map((m) => m.offset)).toEqual([
      0, 100, 200, 300, 400, 500, 600, 700, 800, 900,
    ]);
    expect(even.scanned).toBe(901); // it stops at the tenth match
    const after = await page(log, { cursor: even.next, limit: 10 }, 'value.n % 100 == 0');
    expect(after).toMatchObject({ messages: [], scanned: 99, next: null });
    const partial = await page(log, { partition: 0, limit: 10 }, 'value.n % 100 == 0', 250);
    expect(partial).toMatchObject({ incomplete: true, scanned: 250 });
    expect(partial.messages.map((m) => m.offset)).toEqual([0, 100, 200]);
    const rest = await page(log, { cursor: partial.next, limit: 10 }, 'value.n % 100 == 0');
    expect(rest.messages[0]!.offset).toBe(300);
  });

  it('clamps offsets into the log: below the log start, and past the end', async () => {
    const log = singlePartition(100);
    log.truncateBefore(0, 30);
    const start = (await log.offsets())[0]!.logStartOffset;
    const below = await page(log, { partition: 0, offset: 0, limit: 2 });
    expect(below.messages[0]!.offset).toBe(start);
    const beyond = await page(log, { partition: 0, offset: 1000, limit: 2 });
    expect(beyond).toMatchObject({ messages: [], next: null });
  });

  it('truncates long values to the preview with their full size', async () => {
    const log = new MemoryLog(1);
    log.append(0, [
      { timestamp: BASE, value: 'x'.repeat(100_000) },
      { timestamp: BASE, value: null },
    ]);
    const result = await readPage(
      { reader: log, sizes: new RecordSizeEstimate() },
      {
        topic: 't',
        query: MessagesQuery.parse({ partition: 0 }),
        filter: null,
        decode: { keyAs: 'auto', valueAs: 'auto', previewBytes: 1000 },
      },
    );
    expect(result.messages[0]).toMatchObject({ valueSize: 100_000, valueTruncated: true });
    expect(result.messages[0]!.value).toHaveLength(1000);
    expect(result.messages[1]).toMatchObject({ value: null, valueSize: 0, valueTruncated: false });
  });

  it('names an unknown partition and refuses a forged cursor', async () => {
    const log = singlePartition(10);
    await expect(page(log, { partition: 7 })).rejects.toThrow(/Partition 7/);
    await expect(page(log, { cursor: 'garbage' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      extra: { field: 'query.cursor' },
    });
  });
});
