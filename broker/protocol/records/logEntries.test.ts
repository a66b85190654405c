import { describe, expect, it } from 'vitest';
import { iterateLogEntries, type LogEntry } from './logEntries';
import { decodeLegacyMessageSet } from './legacyMessageSet';
import { decodeRecordBatch } from './recordBatch';
import { encodeRecordBatch } from './recordBatchEncoder';
import { CompressionType } from './recordBatchHeader';
import * as captured from './fixtures/kafkajsCaptured';

/** A segment as an upgraded cluster leaves it: legacy messages, then record batches. */
function segment(): { bytes: Buffer; sizes: number[] } {
  const legacy = Buffer.from(captured.legacyV1Gzip, 'base64');
  legacy.writeBigInt64BE(2n, 0);
  const parts = [
    legacy,
    encodeRecordBatch({ baseOffset: 3, records: [{ value: 'a' }, { value: 'b' }] }),
    encodeRecordBatch({
      baseOffset: 5,
      records: [{ key: 'k', value: 'c'.repeat(200) }],
      compression: CompressionType.Gzip,
    }),
    encodeRecordBatch({ baseOffset: 6, records: [{ value: 'd' }] }),
  ];
  return { bytes: Buffer.concat(parts), sizes: parts.map((p) => p.length) };
}

const summary = (entries: LogEntry[]) =>
  entries.map((e) => ({ kind: e.kind, position: e.position }));

describe('iterateLogEntries', () => {
  it('walks legacy messages and record batches in one buffer, with views to decode', () => {
    const { bytes, sizes } = segment();
    const entries = [...iterateLogEntries(bytes)];
    expect(entries.map((e) => e.kind)).toEqual(['legacy', 'batch', 'batch', 'batch']);
    let position = 0;
    entries.forEach((entry, i) => {
      expect(entry.position).toBe(position);
      expect(entry.kind === 'batch' || entry.kind === 'legacy' ? entry.sizeInBytes : 0).toBe(
        sizes[i],
      );
      position += sizes[i]!;
    });
    const offsets = entries.flatMap((entry) => {
      if (entry.kind === 'legacy') return decodeLegacyMessageSet(entry.bytes).map((r) => r.offset);
      if (entry.kind === 'batch')
        return decodeRecordBatch(entry.bytes).records.map((r) => r.offset);
      return [];
    });
    expect(offsets).toEqual([0n, 1n, 2n, 3n, 4n, 5n, 6n]);
    const first = entries[1]!;
    expect(first.kind === 'batch' && first.bytes.buffer).toBe(bytes.buffer);
  });

  it('stops cleanly at a truncated tail, wherever the cut falls, after every whole entry', () => {
    const { bytes, sizes } = segment();
    const ends = sizes.map((_, i) => sizes.slice(0, i + 1).reduce((a, b) => a + b, 0));
    for (let length = 1; length < bytes.length; length++) {
      const entries = [...iterateLogEntries(bytes.subarray(0, length))];
      const whole = ends.filter((end) => end <= length).length;
      expect(entries.slice(0, whole).every((e) => e.kind === 'batch' || e.kind === 'legacy')).toBe(
        true,
      );
      if (ends.includes(length)) {
        expect(entries).toHaveLength(whole);
        continue;
      }
      expect(entries).toHaveLength(whole + 1);
      const tail = entries[whole]!;
      expect(tail.kind).toBe('truncated');
      if (tail.kind !== 'truncated') continue;
      const start = whole === 0 ? 0 : ends[whole - 1]!;
      expect(tail.position).toBe(start);
      expect(tail.availableBytes).toBe(length - start);
      expect(tail.requiredBytes).toBe(length - start >= 12 ? sizes[whole] : null);
    }
  });

  it('reports a CRC mismatch and goes on to the next entry', () => {
    const { bytes, sizes } = segment();
    const second = sizes[0]!;
    bytes[second + 70]! ^= 0x40; // inside the first record batch's records
    const entries = [...iterateLogEntries(bytes)];
    expect(summary(entries)).toEqual([
      { kind: 'legacy', position: 0 },
      { kind: 'corrupt', position: second },
      { kind: 'batch', position: second + sizes[1]! },
      { kind: 'batch', position: second + sizes[1]! + sizes[2]! },
    ]);
    const corrupt = entries[1]!;
    expect(corrupt.kind === 'corrupt' && corrupt.error.kind).toBe('CRC_MISMATCH');
    expect(corrupt.kind === 'corrupt' && corrupt.error.position).toBe(second + 17);
    expect([...iterateLogEntries(bytes, { verifyCrc: false })].map((e) => e.kind)).toEqual([
      'legacy',
      'batch',
      'batch',
      'batch',
    ]);
  });

  it('reports a zero-filled tail and an unknown magic, and stops there', () => {
    const { bytes } = segment();
    const zeroTail = [...iterateLogEntries(Buffer.concat([bytes, Buffer.alloc(4096)]))];
    const last = zeroTail[zeroTail.length - 1]!;
    expect(last.kind).toBe('corrupt');
    expect(last.kind === 'corrupt' && last.error.kind).toBe('INVALID_LENGTH');
    expect(last.kind === 'corrupt' && last.error.message).toMatch(/zero-filled tail/);
    expect(last.position).toBe(bytes.length);

    const garbage = Buffer.concat([bytes, Buffer.alloc(40, 7)]);
    const entries = [...iterateLogEntries(garbage)];
    const end = entries[entries.length - 1]!;
    expect(end.kind === 'corrupt' && end.error.kind).toBe('UNSUPPORTED_MAGIC');
  });

  it('starts where asked and yields nothing for an empty range', () => {
    const { bytes, sizes } = segment();
    expect([...iterateLogEntries(bytes, { start: bytes.length })]).toEqual([]);
    const fromSecond = [...iterateLogEntries(bytes, { start: sizes[0] })];
    expect(fromSecond.map((e) => e.position)[0]).toBe(sizes[0]);
    expect(fromSecond).toHaveLength(3);
  });
});
