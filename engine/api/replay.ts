/**
 * Replay: re-publish a range of a topic (optionally filtered) to a topic of the same or another
 * cluster, at a chosen pace, as a pausable job (`POST /api/v1/replays`).
 */
import { z } from 'zod';
import { ClusterId } from './clusters';
import { SearchBound } from './messages';
import { TopicName } from './topics';

export const ReplayPace = z.discriminatedUnion('mode', [
  /** As fast as the target takes them. */
  z.object({ mode: z.literal('max') }),
  /** A fixed number of messages per second. */
  z.object({ mode: z.literal('rate'), messagesPerSecond: z.number().positive().max(1_000_000) }),
  /** The original gaps between timestamps divided by `factor` (×10 is ten times faster). */
  z.object({ mode: z.literal('original'), factor: z.number().positive().max(1_000_000) }),
]);
export type ReplayPace = z.infer<typeof ReplayPace>;

export const ReplayInput = z.object({
  source: z.object({
    cluster: ClusterId,
    topic: TopicName,
    /** Partitions to replay; all when left out. */
    partitions: z.array(z.number().int().min(0)).min(1).optional(),
    from: SearchBound.default({ position: 'earliest' }),
    /** Exclusive; default: the high watermarks when the replay starts. */
    to: SearchBound.default({ position: 'latest' }),
    /** A browse filter expression: only matching messages are sent. */
    filter: z.string().max(2000).optional(),
  }),
  target: z.object({
    cluster: ClusterId,
    topic: TopicName,
    /** Create the topic when it does not exist, with the source's partition count and configs. */
    create: z.boolean().default(false),
  }),
  /** keep: the source partition; key: the default partitioner; round-robin: in turn. */
  partitioning: z.enum(['keep', 'key', 'round-robin']).default('keep'),
  keepKeys: z.boolean().default(true),
  keepHeaders: z.boolean().default(true),
  /** Keep the original timestamps (else the time of sending). */
  keepTimestamps: z.boolean().default(true),
  /** Add a `logscope.source` header: `topic/partition/offset` of the original. */
  sourceHeader: z.boolean().default(false),
  pace: ReplayPace.default({ mode: 'max' }),
  /** Only count what would be sent. */
  dryRun: z.boolean().default(false),
});
export type ReplayInput = z.infer<typeof ReplayInput>;

/** A replay job's `result`. */
export const ReplayResult = z.object({
  dryRun: z.boolean(),
  /** Messages read from the source range. */
  scanned: z.number().int(),
  /** Messages acknowledged by the target (on a dry run: that would be sent). */
  sent: z.number().int(),
  /** Messages the filter left out. */
  skipped: z.number().int(),
  /** Messages the target refused. */
  failed: z.number().int(),
  targetCreated: z.boolean(),
});
export type ReplayResult = z.infer<typeof ReplayResult>;
