/**
 * A large Kafka segment for the offline benchmarks: `<dir>/bench-0/00000000000000000000.log`
 * (record batches of 100 records with ~100-byte values, from the project's encoder, written
 * in a stream) and its `.index`, built by the rule Kafka's LogSegment.append follows.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { INDEX_INTERVAL_BYTES } from '../broker/log/export/kafkaDirWriter';
import { makeBatches } from '../broker/log/testing/benchSupport';

export interface BenchSegment {
  dir: string;
  log: string;
  index: string;
  bytes: number;
  records: number;
}

export async function writeBenchSegment(root: string, targetBytes: number): Promise<BenchSegment> {
  const dir = join(root, 'bench-0');
  await mkdir(dir, { recursive: true });
  const log = join(dir, '00000000000000000000.log');
  const index = join(dir, '00000000000000000000.index');
  const templates = makeBatches(64, 100, 100);
  const stream = createWriteStream(log);
  const entries: number[] = [];
  let bytes = 0;
  let offset = 0;
  let since = 0;
  for (let i = 0; bytes < targetBytes; i++) {
    const batch = Buffer.from(templates[i % templates.length]!);
    batch.writeBigInt64BE(BigInt(offset), 0);
    if (since > INDEX_INTERVAL_BYTES) {
      entries.push(offset + 99, bytes);
      since = 0;
    }
    since += batch.length;
    if (!stream.write(batch))
      await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
    bytes += batch.length;
    offset += 100;
  }
  await new Promise<void>((resolve, reject) =>
    stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  const indexBytes = Buffer.alloc(entries.length * 4);
  entries.forEach((value, i) => indexBytes.writeInt32BE(value, i * 4));
  await writeFile(index, indexBytes);
  return { dir, log, index, bytes, records: offset };
}
