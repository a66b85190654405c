/**
 * Where a reset moves each partition's committed offset: pure, so the preview (dry run) and the
 * reset itself compute exactly the same numbers.
 */
import type { OffsetResetChange, OffsetResetTarget } from '../api/groups';

export interface PartitionState {
  partition: number;
  committed: number | null;
  logStartOffset: number;
  highWatermark: number;
  /** For a timestamp reset: the first offset at or after the time (the end when none). */
  offsetForTime?: number;
}

const clamp = (value: number, p: PartitionState) =>
  Math.min(p.highWatermark, Math.max(p.logStartOffset, value));

export function newOffset(target: OffsetResetTarget, p: PartitionState): number {
  switch (target.to) {
    case 'earliest':
      return p.logStartOffset;
    case 'latest':
      return p.highWatermark;
    case 'timestamp':
      return clamp(p.offsetForTime ?? p.highWatermark, p);
    case 'offset':
      return clamp(target.offset, p);
    case 'shift':
      // A partition with nothing committed shifts from where a new consumer would start
      // (the earliest offset), as kafka-consumer-groups does with its default reset policy.
      return clamp((p.committed ?? p.logStartOffset) + target.by, p);
  }
}

export function planReset(
  topic: string,
  target: OffsetResetTarget,
  partitions: PartitionState[],
): OffsetResetChange[] {
  return partitions
    .map((p) => ({
      topic,
      partition: p.partition,
      oldOffset: p.committed,
      newOffset: newOffset(target, p),
    }))
    .sort((a, b) => a.partition - b.partition);
}
