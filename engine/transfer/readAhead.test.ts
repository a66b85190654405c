/**
 * Read-ahead under a real PartitionScan over an in-memory log: the scan gets exactly the
 * records it gets without it; after a partition's first fetch, every fetch the scan asks for
 * was already sent before it asked (and none is sent twice); nothing is fetched past the end.
 */
import { describe, expect, it } from 'vitest';
import { MemoryLog } from '../browse/memoryLog';
import { PartitionScan, RecordSizeEstimate } from '../browse/partitionScan';
import type { RawRecord } from '../browse/record';
import { readAhead } from './readAhead';
import type { RangeReader } from './transferService';

const START = 20;
const END = 150;

function log(): MemoryLog {
  const memory = new MemoryLog(3, 7);
  for (let p = 0; p < 3; p++)
    memory.append(
      p,
      Array.from({ length: 200 }, (_, i) => ({
        timestamp: 1000 + i * 3 + p,
        value: `${p}:${i}`.padEnd(2000, '.'),
      })),
    );
  return memory;
}

/** A RangeReader that notes each fetch as `label p:offset` in `events`. */
function noting(inner: Omit<RangeReader, 'sizes'>, label: string, events: string[]): RangeReader {
  const sizes = new RecordSizeEstimate();
  return {
    offsets: (t) => inner.offsets(t),
    offsetsForTimestamp: (t, p, ts) => inner.offsetsForTimestamp(t, p, ts),
    fetch: (topic, requests, options) => {
      for (const r of requests) events.push(`${label} ${r.partition}:${r.offset}`);
      return inner.fetch(topic, requests, options);
    },
    sizes: () => sizes,
  };
}

async function scanAll(reader: RangeReader): Promise<RawRecord[]> {
  const starts = new Map([0, 1, 2].map((p) => [p, START]));
  const scan = new PartitionScan({
    topic: 't',
    reader,
    direction: 'forward',
    start: starts,
    end: new Map([0, 1, 2].map((p) => [p, END])),
    floor: starts,
    sizes: reader.sizes('t'),
  });
  scan.wanted = 30;
  const records: RawRecord[] = [];
  for (let r = await scan.next(); r !== null; r = await scan.next()) records.push(r);
  return records;
}

describe('readAhead', () => {
  it('reads the same records, with each next fetch sent before the scan asks for it', async () => {
    const expected = await scanAll(noting(log(), 'fetch', []));

    const events: string[] = [];
    const inner = noting(log(), 'fetch', events);
    const ends = new Map([0, 1, 2].map((p) => [p, END]));
    const got = await scanAll(noting(readAhead(inner, 't', ends), 'ask', events));
    expect(got.map((r) => [r.partition, r.offset])).toEqual(
      expected.map((r) => [r.partition, r.offset]),
    );

    const fetched = events.filter((e) => e.startsWith('fetch')).map((e) => e.slice(6));
    const asked = events.filter((e) => e.startsWith('ask')).map((e) => e.slice(4));
    expect(new Set(fetched).size).toBe(fetched.length); // none fetched twice
    expect(fetched.every((f) => Number(f.split(':')[1]) < END)).toBe(true);
    expect(asked.length).toBeGreaterThan(6);
    for (const position of asked) {
      if (Number(position.split(':')[1]) === START) continue; // a partition's first read
      expect(events.indexOf(`fetch ${position}`)).toBeLessThan(events.indexOf(`ask ${position}`));
    }
  });
});
