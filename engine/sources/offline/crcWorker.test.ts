/**
 * The CRC worker computes what the codec computes, for batches anywhere in a shared buffer,
 * and several walks can have jobs out at once.
 */
import { describe, expect, it } from 'vitest';
import { computeRecordBatchCrc, iterateLogEntries } from '../../../broker/protocol/records';
import { makeBatches } from '../../../broker/log/testing/benchSupport';
import { batchCrcs, crcWorkerAvailable } from './crcWorker';

function sharedChunk(batches: Buffer[], lead: number): Buffer {
  const bytes = Buffer.concat(batches);
  const chunk = Buffer.from(new SharedArrayBuffer(lead + bytes.length));
  bytes.copy(chunk, lead);
  return chunk.subarray(lead);
}

function rangesOf(chunk: Buffer): Int32Array {
  const ranges: number[] = [];
  for (const entry of iterateLogEntries(chunk, { verifyCrc: false }))
    if (entry.kind === 'batch')
      ranges.push(entry.bytes.byteOffset, entry.bytes.byteOffset + entry.sizeInBytes);
  return Int32Array.from(ranges);
}

describe('CRC worker', () => {
  it('computes each batch’s CRC-32C as the codec does, damaged ones included', async () => {
    expect(crcWorkerAvailable()).toBe(true);
    const batches = makeBatches(12, 7, 300, { seed: 9 });
    batches[4]![200]! ^= 0x08; // a flipped bit: its computed CRC no longer matches
    const chunk = sharedChunk(batches, 1000);
    const crcs = await batchCrcs(chunk.buffer as SharedArrayBuffer, rangesOf(chunk));
    expect([...crcs]).toEqual(batches.map((b) => computeRecordBatchCrc(b)));
    expect(crcs[4]).not.toBe(batches[4]!.readUInt32BE(17));
    expect(crcs[3]).toBe(batches[3]!.readUInt32BE(17));
  });

  it('answers concurrent jobs each with its own CRCs', async () => {
    const chunks = [1, 2, 3].map((seed) => sharedChunk(makeBatches(5, 3, 100, { seed }), seed));
    const results = await Promise.all(
      chunks.map((chunk) => batchCrcs(chunk.buffer as SharedArrayBuffer, rangesOf(chunk))),
    );
    results.forEach((crcs, i) => {
      const expected = [...iterateLogEntries(chunks[i]!, { verifyCrc: false })].map((e) =>
        e.kind === 'batch' ? computeRecordBatchCrc(e.bytes) : -1,
      );
      expect([...crcs]).toEqual(expected);
    });
  });
});
