/**
 * What a sample costs to read. Kafka returns whole record batches, so reading one random
 * offset reads its whole batch: with b records per batch, a sample of n offsets touches up to
 * n batches, and a sample that touches most batches costs as much as (or, being random reads,
 * more than) a full sequential scan.
 */

export interface BatchReadEstimate {
  /** Batches in the population (N / b, rounded up). */
  totalBatches: number;
  /** Expected number of distinct batches the sample touches. */
  expectedBatches: number;
  /** expectedBatches / totalBatches. */
  fraction: number;
}

/**
 * Expected distinct batches touched by a simple random sample of n of N offsets, batches of b
 * consecutive offsets. A batch is missed with probability C(N−b, n)/C(N, n) without
 * replacement, (1 − b/N)^n with replacement.
 */
export function expectedBatchesRead(params: {
  populationSize: number;
  sampleSize: number;
  recordsPerBatch: number;
  withReplacement?: boolean;
}): BatchReadEstimate {
  const N = params.populationSize;
  const n = Math.min(params.sampleSize, params.withReplacement ? Infinity : N);
  const b = Math.max(1, Math.min(params.recordsPerBatch, N));
  if (!(N > 0) || !(n > 0)) {
    return { totalBatches: N > 0 ? Math.ceil(N / b) : 0, expectedBatches: 0, fraction: 0 };
  }
  let logMiss: number;
  if (params.withReplacement) {
    logMiss = n * Math.log1p(-b / N);
  } else {
    // log Π_{i<b} (N−n−i)/(N−i); b is at most a few thousand, and beyond 10^4 terms the
    // product is already 0 to double precision unless n/N is tiny, where the power form holds.
    const terms = Math.min(Math.ceil(b), 10_000);
    logMiss = 0;
    for (let i = 0; i < terms && logMiss > -800; i++) {
      if (N - n - i <= 0) {
        logMiss = -Infinity;
        break;
      }
      logMiss += Math.log1p(-n / (N - i));
    }
    if (terms < b && Number.isFinite(logMiss)) logMiss *= b / terms;
  }
  const totalBatches = Math.ceil(N / b);
  const fraction = 1 - Math.exp(logMiss);
  return { totalBatches, expectedBatches: fraction * totalBatches, fraction };
}
