/**
 * Live throughput and consumer lag (issue 7), streamed over the WebSocket subscription
 * `metrics` with MetricsParams; each event is one MetricsSnapshot. Rates are per second over
 * the time between two polls; bytes are known where the broker counts them (the local
 * broker's Prometheus counters), else null.
 */
import { z } from 'zod';

export const MetricsParams = z.object({
  cluster: z.string().min(1),
  /** Wanted resolution; the engine polls less often when the cluster is large or slow. */
  intervalMs: z.coerce.number().int().min(250).max(60_000).default(1000),
});
export type MetricsParams = z.infer<typeof MetricsParams>;

const Rate = z.number().nullable();

export const PartitionRate = z.object({
  partition: z.number(),
  messagesPerSec: z.number(),
  highWatermark: z.number(),
});

export const TopicRate = z.object({
  topic: z.string(),
  messagesPerSec: z.number(),
  bytesInPerSec: Rate,
  bytesOutPerSec: Rate,
  partitions: z.array(PartitionRate),
});

export const GroupLag = z.object({
  group: z.string(),
  /** Σ lag over the partitions the group has committed offsets for. */
  lag: z.number(),
  partitions: z.array(
    z.object({ topic: z.string(), partition: z.number(), committed: z.number(), lag: z.number() }),
  ),
});

export const MetricsSnapshot = z.object({
  cluster: z.string(),
  at: z.number(),
  /** The interval this snapshot's rates cover, and the one the engine now polls at. */
  elapsedMs: z.number(),
  intervalMs: z.number(),
  /** How long the poll took (the engine slows down when polls are slow). */
  pollMs: z.number(),
  messagesPerSec: z.number(),
  bytesInPerSec: Rate,
  bytesOutPerSec: Rate,
  topics: z.array(TopicRate),
  groups: z.array(GroupLag),
  error: z.string().optional(),
});
export type MetricsSnapshot = z.infer<typeof MetricsSnapshot>;
