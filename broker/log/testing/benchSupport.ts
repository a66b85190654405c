/**
 * Shared pieces of the `bench/log-*` benchmarks: data that looks like a producer's (real v2
 * batches from the project's encoder, 100-byte incompressible values), scratch data
 * directories, timing, and the JSON line every benchmark prints (DESIGN.md, "Performance
 * method").
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeRecordBatch } from '../../protocol/records/index';

export const FULL = process.env.BENCH_FULL === '1';

/** `count` batches of `recordsPerBatch` records with `valueBytes`-byte values each. */
export function makeBatches(
  count: number,
  recordsPerBatch: number,
  valueBytes: number,
  { seed = 1, baseTimestamp = 1_700_000_000_000 } = {},
): Buffer[] {
  let state = seed >>> 0 || 1;
  const value = Buffer.allocUnsafe(valueBytes);
  return Array.from({ length: count }, (_, b) =>
    encodeRecordBatch({
      records: Array.from({ length: recordsPerBatch }, (_, i) => {
        for (let j = 0; j + 4 <= valueBytes; j += 4) {
          state ^= state << 13;
          state ^= state >>> 17;
          state ^= state << 5;
          value.writeUInt32LE(state >>> 0, j);
        }
        return {
          key: `k${(b * recordsPerBatch + i) % 10_000}`,
          value: Buffer.from(value),
          timestamp: baseTimestamp + b * recordsPerBatch + i,
        };
      }),
    }),
  );
}

/** A fresh scratch directory; `remove()` deletes it. */
export function scratchDir(name: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `logscope-bench-${name}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Wall time of `run` in ms. */
export async function timed(run: () => Promise<unknown>): Promise<number> {
  globalThis.gc?.();
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export const round = (x: number, digits = 3): number => Number(x.toFixed(digits));

export interface BenchLine {
  bench: string;
  ratio: number;
  value: number;
  unit: string;
  baseline: string;
  [extra: string]: unknown;
}

export function report(line: BenchLine): void {
  console.log(JSON.stringify(line));
}
