/**
 * What the engine asks of an offline source: the same topic, partition, segment and message
 * reads as of a cluster, over files. Opened by `openOfflineSource` for any path the detector
 * recognises; closed when its cluster is removed.
 */
import type { SegmentList, TopicDetails, TopicSummary } from '../../api';
import type { LogReader } from '../../browse/logReader';
import type { RecordSizeEstimate } from '../../browse/partitionScan';
import type { Damage } from './damage';
import type { OfflinePathKind } from './detectPath';

export interface OfflineSource extends LogReader {
  readonly kind: OfflinePathKind;
  readonly path: string;
  /** `cluster.id` from `meta.properties`, when the files say. */
  readonly clusterId?: string | null;
  listTopics(): Promise<TopicSummary[]>;
  describeTopic(topic: string): Promise<TopicDetails>;
  segments(topic: string, partition: number): Promise<SegmentList>;
  sizes(topic: string): RecordSizeEstimate;
  /** Damage met so far (reads find more as they go; `segments` walks whole partitions). */
  damage(): Damage[];
  close(): Promise<void>;
}
