import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RawRecord } from '../browse/record';
import { toJsonLine } from './jsonLines';
import { JsonLinesWriter } from './jsonLinesWriter';

/** Bytes of every kind an export meets: plain text, text to escape, invalid UTF-8, nothing. */
const bytes = fc.oneof(
  fc.constant(null),
  fc.string({ unit: 'grapheme' }).map((s) => Buffer.from(s)),
  fc.string({ unit: 'binary' }).map((s) => Buffer.from(s)),
  fc
    .constantFrom('"quoted"', 'back\\slash', 'tab\there', 'nl\n', '\u0000\u001f\u007f', '\u2028')
    .map((s) => Buffer.from(s)),
  fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a)),
);

const record: fc.Arbitrary<RawRecord> = fc.record({
  partition: fc.nat(1000),
  offset: fc.nat(),
  timestamp: fc.integer({ min: -1, max: 2 ** 45 }),
  timestampType: fc.constantFrom('CreateTime' as const, 'LogAppendTime' as const),
  key: bytes,
  value: bytes,
  headers: fc.array(fc.record({ key: fc.string({ unit: 'binary' }), value: bytes }), {
    maxLength: 4,
  }),
});

describe('JsonLinesWriter', () => {
  it('escapes every ASCII control character, quote and backslash as JSON.stringify does', () => {
    const all = Buffer.concat([
      Buffer.from(Array.from({ length: 0x80 }, (_, i) => i)),
      Buffer.from('"ünï" \\ ✓ 😀'),
    ]);
    const r: RawRecord = {
      partition: 0,
      offset: 0,
      timestamp: 0,
      timestampType: 'CreateTime',
      key: all,
      value: all,
      headers: [{ key: 'h"\n', value: all }],
    };
    const writer = new JsonLinesWriter();
    writer.add(r);
    expect(writer.take().toString('utf8')).toBe(`${toJsonLine(r)}\n`);
  });

  it('writes exactly the bytes of toJsonLine for any record, across chunks', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 30 }), (records) => {
        // A tiny chunk, so lines straddle the moment a chunk is taken.
        const writer = new JsonLinesWriter(64);
        const chunks: Buffer[] = [];
        for (const r of records) {
          writer.add(r);
          if (writer.full) chunks.push(writer.take());
        }
        chunks.push(writer.take());
        const expected = records.map((r) => `${toJsonLine(r)}\n`).join('');
        expect(Buffer.concat(chunks).equals(Buffer.from(expected))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
