import { expect, it } from 'vitest';
import { compress, decompress, initCompression, isCompressionReady } from './compression';
import { CompressionError } from './errors';
import { CompressionType } from './recordBatchHeader';

// A file of its own: vitest gives each test file fresh modules, so zstd starts unloaded here.
it('zstd before initCompression() is a NOT_INITIALIZED CompressionError, then works', async () => {
  expect(isCompressionReady()).toBe(false);
  const attempt = () => compress(CompressionType.Zstd, Buffer.from('x'));
  expect(attempt).toThrow(CompressionError);
  expect(attempt).toThrow(/call `await initCompression\(\)`/);
  // The other codecs need nothing.
  expect(
    decompress(CompressionType.Lz4, compress(CompressionType.Lz4, Buffer.from('y'))).toString(),
  ).toBe('y');
  await Promise.all([initCompression(), initCompression()]);
  expect(isCompressionReady()).toBe(true);
  expect(decompress(CompressionType.Zstd, attempt()).toString()).toBe('x');
});
