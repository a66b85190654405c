/**
 * The shapes the browse views exchange with the engine, derived from the engine's contract
 * (engine/api) so that a changed schema breaks the renderer's type-check, not the running app.
 */
import type { z } from 'zod';
import type {
  ClusterDetails,
  ConnectionTest,
  CreateTopicInput,
  Message,
  MessagePage,
  MessagesQuery,
  ProduceInput,
  ProduceResult,
  SegmentList,
  TailEvent,
  TailParams,
  TopicConfigEntry,
  TopicConfigPatch,
  TopicConfigs,
  TopicDetails,
  TopicList,
} from '../../../engine/api';

export type {
  Cluster,
  ClusterInput,
  ClusterPatch,
  ClusterOverview,
  Damage,
  Message,
  MessagePage,
  PartitionDetails,
  Segment,
  SegmentList,
  TopicDetails,
  TopicSummary,
} from '../../../engine/api';

export type ClusterDetailsOut = z.infer<typeof ClusterDetails>;
export type ConnectionTestOut = z.infer<typeof ConnectionTest>;
export type TopicListOut = z.infer<typeof TopicList>;
export type TopicDetailsOut = z.infer<typeof TopicDetails>;
export type TopicConfigsOut = z.infer<typeof TopicConfigs>;
export type TopicConfigEntryOut = z.infer<typeof TopicConfigEntry>;
export type TopicConfigPatchIn = z.input<typeof TopicConfigPatch>;
export type CreateTopicIn = z.input<typeof CreateTopicInput>;
export type SegmentListOut = z.infer<typeof SegmentList>;
export type MessageOut = z.infer<typeof Message>;
export type MessagePageOut = z.infer<typeof MessagePage>;
/** Query of the messages route; every field optional as the engine fills in defaults. */
export type MessagesQueryIn = Partial<z.input<typeof MessagesQuery>>;
export type ProduceIn = z.input<typeof ProduceInput>;
export type ProduceResultOut = z.infer<typeof ProduceResult>;
export type TailParamsIn = z.input<typeof TailParams>;
export type TailEventOut = z.infer<typeof TailEvent>;
