import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { crc32c, iterateLogEntries } from '../../../broker/protocol/records';
import { buildBatch } from '../../../broker/log/testing/recordBatches';
import { crc32cImplementation, entryCrcError } from './batchCrc';
import { kafkajsRecords } from './testing/kafkaDirFixture';
import type { GoodEntry } from './entryRecords';

describe('entry CRC check', () => {
  it('runs natively on this machine (the package and its binary are installed)', () => {
    expect(crc32cImplementation()).toBe('native');
  });

  it('agrees with the codec: a good batch passes, any changed byte after the CRC is caught', async () => {
    const batch = await buildBatch(kafkajsRecords(20, 0));
    const [entry] = [...iterateLogEntries(batch, { verifyCrc: false })] as GoodEntry[];
    expect(entryCrcError(entry!)).toBeNull();
    for (const at of [21, 40, batch.length - 1]) {
      const copy = Buffer.from(batch);
      copy[at] = copy[at]! ^ 0x5a;
      const [bad] = [...iterateLogEntries(copy, { verifyCrc: false })] as GoodEntry[];
      const [codec] = [...iterateLogEntries(copy, { verifyCrc: true })];
      expect(codec?.kind).toBe('corrupt');
      const error = entryCrcError(bad!);
      expect(error?.kind).toBe('CRC_MISMATCH');
      expect(error?.message).toBe(codec?.kind === 'corrupt' ? codec.error.message : null);
    }
  });

  it('computes the same CRC-32C as the codec on random bytes', async () => {
    const { createRequire } = await import('node:module');
    const native = createRequire(import.meta.url)('@node-rs/crc32') as {
      crc32c(input: Uint8Array): number;
    };
    for (const size of [0, 1, 7, 64, 4096, 100_003]) {
      const bytes = randomBytes(size);
      expect(native.crc32c(bytes) >>> 0).toBe(crc32c(bytes));
    }
  });
});
