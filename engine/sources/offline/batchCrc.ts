/**
 * The CRC check of a log entry, as fast as this machine allows: CRC-32C (record batches) is
 * most of what validating a segment costs, so it runs in native code (@node-rs/crc32) when
 * that package's binary for this platform is installed, else through the codec's own
 * WebAssembly/JavaScript crc32c. Legacy messages (CRC-32) go through the codec unchanged.
 */
import { createRequire } from 'node:module';
import {
  computeRecordBatchCrc,
  CorruptRecordBatchError,
  iterateLogEntries,
} from '../../../broker/protocol/records';
import type { GoodEntry } from './entryRecords';

/** Where a record batch keeps its CRC, and where the bytes it covers start (attributes). */
const CRC_OFFSET = 17;
const CRC_FROM = 21;

type Crc32c = (input: Uint8Array) => number;

let native: Crc32c | null | undefined;

/** The native CRC-32C, or null when its package or platform binary is missing. */
function nativeCrc32c(): Crc32c | null {
  if (native !== undefined) return native;
  try {
    // Loaded at run time, not bundled: the binary is per platform, and a missing one must
    // leave the portable implementation in charge instead of failing the engine's start.
    const loaded = createRequire(import.meta.url)('@node-rs/crc32') as { crc32c?: Crc32c };
    native = typeof loaded.crc32c === 'function' ? loaded.crc32c : null;
  } catch {
    native = null;
  }
  return native;
}

/** Which implementation checks CRC-32C here (benchmarks print it). */
export function crc32cImplementation(): 'native' | 'portable' {
  return nativeCrc32c() ? 'native' : 'portable';
}

/**
 * The entry's CRC mismatch as the codec reports it (same kind and message as
 * iterateLogEntries with verifyCrc), or null when the CRC matches.
 */
export function entryCrcError(entry: GoodEntry): CorruptRecordBatchError | null {
  if (entry.kind === 'legacy') {
    const checked = iterateLogEntries(entry.bytes, { verifyCrc: true }).next().value;
    if (checked?.kind !== 'corrupt') return null;
    // Checked on the entry's own bytes: count its position from where the entry's chunk starts,
    // as for a batch below.
    const { kind, detail, position } = checked.error;
    return new CorruptRecordBatchError(kind, detail, entry.position + position);
  }
  const bytes = entry.bytes;
  const fast = nativeCrc32c();
  const computed = fast
    ? fast(bytes.subarray(CRC_FROM)) >>> 0
    : computeRecordBatchCrc(bytes, 0, bytes.length);
  return batchCrcError(entry, computed);
}

/** The batch's CRC mismatch against the CRC computed for it (crcWorker.ts), or null. */
export function batchCrcError(
  entry: Extract<GoodEntry, { kind: 'batch' }>,
  computed: number,
): CorruptRecordBatchError | null {
  const stored = entry.bytes.readUInt32BE(CRC_OFFSET);
  if (stored === computed) return null;
  return new CorruptRecordBatchError(
    'CRC_MISMATCH',
    `CRC-32C is 0x${computed.toString(16).padStart(8, '0')}, entry says 0x${stored.toString(16).padStart(8, '0')}`,
    entry.position + CRC_OFFSET,
  );
}
