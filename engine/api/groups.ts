/**
 * Consumer groups: list them with their state and lag, look at one (members, assignments,
 * committed offsets and lag per partition), reset its offsets (with a dry run that previews
 * old → new), and delete it.
 */
import { z } from 'zod';
import { ClusterId } from './clusters';

export const GroupParams = z.object({ cluster: ClusterId, group: z.string().min(1).max(255) });

export const GroupSummary = z.object({
  groupId: z.string(),
  /** Kafka's group state: Empty, Stable, PreparingRebalance, CompletingRebalance, Dead, … */
  state: z.string(),
  /** `consumer` for consumer groups, or another protocol type (connect, …). */
  protocolType: z.string(),
  /** The assignment strategy the members agreed on (range, roundrobin, …); empty when none. */
  protocol: z.string(),
  members: z.number().int(),
  /** Sum over committed partitions of high watermark − committed offset (never negative). */
  totalLag: z.number(),
  topics: z.array(z.string()),
});
export type GroupSummary = z.infer<typeof GroupSummary>;

export const GroupList = z.object({ groups: z.array(GroupSummary) });

export const GroupMember = z.object({
  memberId: z.string(),
  clientId: z.string(),
  clientHost: z.string(),
  /** Partitions assigned to this member, per topic (empty when the assignment is not a consumer one). */
  assignment: z.array(z.object({ topic: z.string(), partitions: z.array(z.number().int()) })),
});

export const GroupPartitionOffset = z.object({
  topic: z.string(),
  partition: z.number().int(),
  /** The committed offset, or null when the group has none for this partition. */
  committed: z.number().nullable(),
  logStartOffset: z.number(),
  highWatermark: z.number(),
  /** high watermark − committed; null when nothing is committed. */
  lag: z.number().nullable(),
  /** The member the partition is assigned to, if any. */
  memberId: z.string().nullable(),
  metadata: z.string().nullable(),
});
export type GroupPartitionOffset = z.infer<typeof GroupPartitionOffset>;

export const GroupDetails = GroupSummary.extend({
  members: z.number().int(),
  memberList: z.array(GroupMember),
  offsets: z.array(GroupPartitionOffset),
});
export type GroupDetails = z.infer<typeof GroupDetails>;

export const OffsetResetTarget = z.discriminatedUnion('to', [
  z.object({ to: z.literal('earliest') }),
  z.object({ to: z.literal('latest') }),
  /** The first offset at or after this time (ms since the epoch); the end if there is none. */
  z.object({ to: z.literal('timestamp'), timestamp: z.number().int() }),
  /** An exact offset, clamped to [log start, high watermark]. */
  z.object({ to: z.literal('offset'), offset: z.number().int().min(0) }),
  /** The committed offset moved by N (negative moves back), clamped to the partition's range. */
  z.object({ to: z.literal('shift'), by: z.number().int() }),
]);
export type OffsetResetTarget = z.infer<typeof OffsetResetTarget>;

export const OffsetResetInput = z.object({
  topic: z.string().min(1),
  /** Partitions to reset; all of the topic's when left out. */
  partitions: z.array(z.number().int().min(0)).min(1).optional(),
  target: OffsetResetTarget,
  /** Only compute the preview; change nothing. */
  dryRun: z.boolean().default(false),
});
export type OffsetResetInput = z.infer<typeof OffsetResetInput>;

export const OffsetResetChange = z.object({
  topic: z.string(),
  partition: z.number().int(),
  /** The committed offset before, or null when there was none. */
  oldOffset: z.number().nullable(),
  newOffset: z.number(),
});
export type OffsetResetChange = z.infer<typeof OffsetResetChange>;

export const OffsetResetResult = z.object({
  groupId: z.string(),
  dryRun: z.boolean(),
  /** Whether the new offsets were committed (false on a dry run). */
  applied: z.boolean(),
  changes: z.array(OffsetResetChange),
});
export type OffsetResetResult = z.infer<typeof OffsetResetResult>;
